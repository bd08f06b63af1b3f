package io.statusdesk.statuspage;

import io.statusdesk.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Tenant sign-in links as {@link TenantView} accepts them, made by operators (and for the demo)
 * rather than the helpdesk: a JWT with {@code sub} = the tenant id, {@code exp} at most {@link
 * #MAX_LIFETIME} ahead and a random {@code jti}, so two links made in the same second are two
 * tokens (each works once). It is signed with the HS256 secret, or with the RS256 private key that
 * belongs to the configured public key, and checked with the service's own verifier before it is
 * handed out.
 */
public final class SignInLink {
  /** The longest a sign-in token may live. */
  public static final Duration MAX_LIFETIME = Duration.ofHours(1);

  private SignInLink() {}

  /**
   * A link to {@code publicUrl}'s tenant view for {@code tenant}, valid for {@code lifetime}. Fails
   * with an {@link DomainException.Kind#INVALID} error saying what to do when the keys at hand
   * cannot make a token the service takes.
   */
  public static Future<String> create(
      Vertx vertx,
      StatusPageConfig config,
      Optional<String> privateKeyPem,
      String publicUrl,
      String tenant,
      Duration lifetime) {
    PubSecKeyOptions signer;
    if (config.ssoPublicKeyPem().isPresent()) {
      if (privateKeyPem.isEmpty()) {
        return refused(
            "the service checks sign-in tokens with the RS256 public key in "
                + "STATUSDESK_SSO_PUBLIC_KEY_FILE, and a public key cannot sign: pass "
                + "--private-key-file with the matching private key (PEM)");
      }
      signer = new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(privateKeyPem.get());
    } else if (config.ssoSecret().isPresent()) {
      if (privateKeyPem.isPresent()) {
        return refused(
            "the service checks sign-in tokens with the HS256 secret "
                + "STATUSDESK_SSO_SECRET; --private-key-file is only for "
                + "STATUSDESK_SSO_PUBLIC_KEY_FILE");
      }
      signer = new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.ssoSecret().get());
    } else {
      return refused(
          "tenant sign-in is not configured: set STATUSDESK_SSO_SECRET or "
              + "STATUSDESK_SSO_PUBLIC_KEY_FILE");
    }
    String token;
    try {
      token =
          JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(signer))
              .generateToken(
                  new JsonObject().put("sub", tenant).put("jti", UUID.randomUUID().toString()),
                  new JWTOptions()
                      .setAlgorithm(signer.getAlgorithm())
                      .setExpiresInSeconds((int) lifetime.toSeconds()));
    } catch (RuntimeException e) {
      return refused(
          "cannot sign with the private key: it is no PEM private key (PKCS#8, "
              + "-----BEGIN PRIVATE KEY-----)");
    }
    return verifier(vertx, config)
        .orElseThrow()
        .authenticate(new TokenCredentials(token))
        .transform(
            ar ->
                ar.succeeded()
                    ? Future.succeededFuture(publicUrl + "/tenant/sso?token=" + token)
                    : refused(
                        "the private key does not belong to the public key in "
                            + "STATUSDESK_SSO_PUBLIC_KEY_FILE: the service would refuse the link"));
  }

  /** What checks sign-in tokens under {@code config}: the public key if set, else the secret. */
  static Optional<JWTAuth> verifier(Vertx vertx, StatusPageConfig config) {
    Optional<PubSecKeyOptions> key =
        config.ssoPublicKeyPem().isPresent()
            ? Optional.of(
                new PubSecKeyOptions()
                    .setAlgorithm("RS256")
                    .setBuffer(config.ssoPublicKeyPem().get()))
            : config
                .ssoSecret()
                .map(s -> new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(s));
    return key.map(
        k ->
            JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                    .addPubSecKey(k)
                    .setJWTOptions(new JWTOptions().setIgnoreExpiration(true))));
  }

  private static <T> Future<T> refused(String message) {
    return Future.failedFuture(new DomainException(DomainException.Kind.INVALID, message));
  }
}
