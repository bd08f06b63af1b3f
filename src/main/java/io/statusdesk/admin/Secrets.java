package io.statusdesk.admin;

import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets handed to people and browsers: tokens, link tokens, session ids, CSRF tokens. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** 32 random bytes as URL-safe base64 (43 characters): unguessable and safe in any URL. */
  public static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
