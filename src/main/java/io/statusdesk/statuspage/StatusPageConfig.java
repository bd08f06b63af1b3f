package io.statusdesk.statuspage;

import java.util.Optional;

/**
 * Settings of the public pages and the tenant sign-in.
 *
 * @param publicUrl the page's public base URL, used in feeds and the v2 API's {@code url}
 * @param frameAncestors CSP sources allowed to embed {@code /embed} (e.g. the helpdesk portal)
 * @param ssoSecret HS256 key of the helpdesk's sign-in tokens, if it signs with a shared secret
 * @param ssoPublicKeyPem RS256 public key (PEM) of the helpdesk's sign-in tokens
 */
public record StatusPageConfig(
    Optional<String> publicUrl,
    String frameAncestors,
    Optional<String> ssoSecret,
    Optional<String> ssoPublicKeyPem) {

  /** Whether tenants can sign in: a secret or a public key is set. */
  public boolean signInConfigured() {
    return ssoSecret.isPresent() || ssoPublicKeyPem.isPresent();
  }

  public static StatusPageConfig defaults() {
    return new StatusPageConfig(Optional.empty(), "'self'", Optional.empty(), Optional.empty());
  }
}
