package io.statusdesk.notify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token a public form carries, paired with a cookie (double submit): the page sets a random
 * value in a {@code SameSite=Strict} cookie and signs it, with the time, into the form. A post is
 * believed when the signature holds, it is at most {@link #VALID} old and the cookie matches: a
 * page elsewhere can neither read the token nor make the browser send the cookie with its post.
 */
public final class FormTokens {
  /** How long a form stays good after it was served. */
  public static final Duration VALID = Duration.ofHours(2);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;
  private final Clock clock;

  public FormTokens(byte[] key, Clock clock) {
    this.key = key.clone();
    this.clock = clock;
  }

  /** A new random value: a cookie's, or a subscriber's token. */
  public static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }

  /** The form token for the cookie value {@code nonce}, signed now. */
  public String issue(String nonce) {
    long issued = clock.instant().getEpochSecond();
    return issued + "." + B64.encodeToString(sign(nonce, issued));
  }

  /** Whether {@code token} was issued here for {@code nonce} within {@link #VALID}. */
  public boolean valid(String token, String nonce) {
    if (token == null || nonce == null || nonce.isEmpty()) {
      return false;
    }
    int dot = token.indexOf('.');
    if (dot < 1) {
      return false;
    }
    long issued;
    byte[] given;
    try {
      issued = Long.parseLong(token.substring(0, dot));
      given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    Instant at = Instant.ofEpochSecond(issued);
    Instant now = clock.instant();
    return !at.isAfter(now.plusSeconds(60))
        && !at.plus(VALID).isBefore(now)
        && MessageDigest.isEqual(given, sign(nonce, issued));
  }

  private byte[] sign(String nonce, long issued) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(ByteBuffer.allocate(8).putLong(issued).array());
      return mac.doFinal(nonce.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java has HmacSHA256", e);
    }
  }
}
