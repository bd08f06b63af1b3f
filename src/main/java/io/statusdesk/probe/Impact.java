package io.statusdesk.probe;

/**
 * What the full loss of a component means (docs/sla.md and the README's checks.yaml reference):
 * MAJOR for core components whose loss hits everyone, PARTIAL for features some tenants use.
 */
public enum Impact {
  MAJOR,
  PARTIAL
}
