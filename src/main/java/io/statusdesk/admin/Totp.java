package io.statusdesk.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as every authenticator app computes them (RFC 6238: HMAC-SHA1 over
 * 30-second steps since the epoch, 6 digits, RFC 4226 truncation). A code is accepted for its own
 * step and one step either side (clocks drift), and only for a step after the last one the account
 * used, so no code works twice.
 */
public final class Totp {
  static final int STEP_SECONDS = 30;
  static final int DIGITS = 6;
  static final int SECRET_BYTES = 20;
  private static final String ISSUER = "statusdesk";
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Totp() {}

  /** A new random secret (160 bits, as RFC 4226 recommends). */
  public static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The 30-second step {@code at} falls in. */
  public static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
  }

  /** The code of {@code step}, {@code digits} long with leading zeros. */
  static String code(byte[] secret, long step, int digits) {
    byte[] counter = new byte[8];
    for (int i = 7, s = 0; i >= 0; i--, s += 8) {
      counter[i] = (byte) (step >>> s);
    }
    byte[] mac;
    try {
      Mac hmac = Mac.getInstance("HmacSHA1");
      hmac.init(new SecretKeySpec(secret, "HmacSHA1"));
      mac = hmac.doFinal(counter);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java has HmacSHA1", e);
    }
    int offset = mac[mac.length - 1] & 0x0f;
    int binary =
        ((mac[offset] & 0x7f) << 24)
            | ((mac[offset + 1] & 0xff) << 16)
            | ((mac[offset + 2] & 0xff) << 8)
            | (mac[offset + 3] & 0xff);
    int modulus = 1;
    for (int i = 0; i < digits; i++) {
      modulus *= 10;
    }
    String code = Integer.toString(binary % modulus);
    return "0".repeat(digits - code.length()) + code;
  }

  /** The 6-digit code an authenticator app shows at {@code at} for a base32 secret. */
  public static String code(String secret, Instant at) {
    return code(fromBase32(secret), step(at), DIGITS);
  }

  /**
   * The step {@code code} belongs to, if it is the code of the step of {@code now} or of one either
   * side and that step comes after {@code lastUsedStep}; else empty (wrong, stale or replayed).
   */
  public static OptionalLong verify(String secret, String code, Instant now, long lastUsedStep) {
    if (code == null || !code.matches("\\d{" + DIGITS + "}")) {
      return OptionalLong.empty();
    }
    byte[] key = fromBase32(secret);
    long current = step(now);
    OptionalLong matched = OptionalLong.empty();
    for (long s = current - 1; s <= current + 1; s++) {
      boolean equal =
          MessageDigest.isEqual(
              code(key, s, DIGITS).getBytes(StandardCharsets.US_ASCII),
              code.getBytes(StandardCharsets.US_ASCII));
      if (equal && s > lastUsedStep && matched.isEmpty()) {
        matched = OptionalLong.of(s);
      }
    }
    return matched;
  }

  /** RFC 4648 base32 without padding: how authenticator apps take a secret typed by hand. */
  public static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /** The bytes of an RFC 4648 base32 text (upper or lower case, no padding). */
  public static byte[] fromBase32(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    byte[] out = new byte[upper.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < upper.length(); i++) {
      int value = BASE32.indexOf(upper.charAt(i));
      if (value < 0) {
        throw new IllegalArgumentException("not base32: " + text);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }

  /** The {@code otpauth://} URI an authenticator app reads from the QR code. */
  public static String uri(String secret, String account) {
    String label = URLEncoder.encode(ISSUER + ":" + account, StandardCharsets.UTF_8);
    return "otpauth://totp/"
        + label.replace("+", "%20")
        + "?secret="
        + secret
        + "&issuer="
        + ISSUER
        + "&algorithm=SHA1&digits="
        + DIGITS
        + "&period="
        + STEP_SECONDS;
  }
}
