package io.statusdesk.admin;

import io.statusdesk.Digest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ten single-use codes that stand in for the authenticator when it is lost. Each has 80 random
 * bits ({@code abcd-efgh-ijkl-mnop} in base32), so a plain SHA-256 of it is a safe thing to store.
 */
public final class RecoveryCodes {
  public static final int COUNT = 10;
  private static final int BYTES = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RecoveryCodes() {}

  /** {@link #COUNT} new codes, as the person writes them down. */
  public static List<String> generate() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      byte[] bytes = new byte[BYTES];
      RANDOM.nextBytes(bytes);
      String code = Totp.base32(bytes).toLowerCase(Locale.ROOT);
      out.add(
          String.join(
              "-",
              code.substring(0, 4),
              code.substring(4, 8),
              code.substring(8, 12),
              code.substring(12, 16)));
    }
    return out;
  }

  /** Whether {@code typed} looks like a recovery code rather than an authenticator code. */
  public static boolean looksLikeOne(String typed) {
    return typed != null && normalize(typed).matches("[a-z2-7]{16}");
  }

  /** The hash stored for a code however it was typed (case, dashes and spaces do not matter). */
  public static byte[] hash(String typed) {
    return Digest.sha256(normalize(typed));
  }

  private static String normalize(String typed) {
    return typed.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
  }
}
