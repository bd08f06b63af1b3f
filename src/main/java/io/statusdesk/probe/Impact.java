package io.statusdesk.probe;

/**
 * What the full loss of a component means (DESIGN.md, Classification): MAJOR for core
 * components whose loss hits everyone, PARTIAL for features some tenants use.
 */
public enum Impact {
  MAJOR, PARTIAL
}
