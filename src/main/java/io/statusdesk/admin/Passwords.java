package io.statusdesk.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Console passwords, hashed with Argon2id (RFC 9106; Bouncy Castle's implementation) and kept as
 * PHC strings ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), so a stored hash names the
 * parameters it was made with and stronger ones can follow without breaking old hashes. The
 * parameters are OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane; a hash takes
 * tens of milliseconds, so callers run it off the event loop.
 */
public final class Passwords {
  /** Memory in KiB. */
  static final int MEMORY_KIB = 19_456;

  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;

  /** Shortest password accepted: long passphrases beat composition rules. */
  public static final int MIN_LENGTH = 12;

  /** Longest accepted, so a hash never has megabytes to chew on. */
  public static final int MAX_LENGTH = 256;

  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})"
              + "\\$([A-Za-z0-9+/]{16,64})\\$([A-Za-z0-9+/]{16,128})");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  /**
   * What an unknown account's password is checked against, so answering "no such account" takes as
   * long as answering "wrong password" and the timing tells no one which emails exist.
   */
  private static final String DUMMY = hash("not a password anyone can type\u0000");

  private Passwords() {}

  /** Why {@code password} is not acceptable, or null when it is. */
  public static String weakness(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return "password: at least " + MIN_LENGTH + " characters";
    }
    if (password.length() > MAX_LENGTH) {
      return "password: at most " + MAX_LENGTH + " characters";
    }
    if (password.isBlank()) {
      return "password: must not be blank";
    }
    return null;
  }

  /** A new PHC string for {@code password} with a fresh salt. Slow on purpose. */
  public static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + ITERATIONS
        + ",p="
        + PARALLELISM
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /**
   * Whether {@code password} matches {@code phc}; a null or malformed {@code phc} (an account with
   * no password yet) never matches, after the same work as a real check.
   */
  public static boolean verify(String password, String phc) {
    Matcher m = PHC.matcher(phc == null ? DUMMY : phc);
    if (!m.matches()) {
      m = PHC.matcher(DUMMY);
      m.matches();
      phc = null;
    }
    byte[] salt = Base64.getDecoder().decode(m.group(4));
    byte[] expected = Base64.getDecoder().decode(m.group(5));
    byte[] actual =
        derive(
            password == null ? "" : password,
            salt,
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            expected.length);
    return MessageDigest.isEqual(expected, actual) && phc != null;
  }

  private static byte[] derive(
      String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build());
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
