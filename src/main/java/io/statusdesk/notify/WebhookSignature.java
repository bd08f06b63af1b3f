package io.statusdesk.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (www.standardwebhooks.com): the signed content is {@code
 * id.timestamp.body}, the key is the secret's base64 after {@code whsec_}, and the header is {@code
 * v1,} followed by the base64 HMAC-SHA256. Receivers check it with any Standard Webhooks library or
 * the few lines in the README, and drop repeats by {@code webhook-id}.
 */
public final class WebhookSignature {
  public static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  /** A new secret: {@code whsec_} and 32 random bytes in base64. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** Whether {@code secret} is {@code whsec_} and 24 to 64 bytes in base64. */
  public static boolean validSecret(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      return false;
    }
    try {
      int length = Base64.getDecoder().decode(secret.substring(PREFIX.length())).length;
      return length >= 24 && length <= 64;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The {@code webhook-signature} header of a message. */
  public static String sign(String secret, String id, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
      byte[] signature =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(signature);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java has HmacSHA256", e);
    }
  }

  /**
   * Whether any signature in {@code header} (space-separated, as key rotation sends several) signs
   * the message with {@code secret}: what a receiver checks.
   */
  public static boolean verify(
      String secret, String id, long timestamp, String body, String header) {
    byte[] expected = sign(secret, id, timestamp, body).getBytes(StandardCharsets.UTF_8);
    for (String candidate : header.split(" ", -1)) {
      if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return false;
  }
}
