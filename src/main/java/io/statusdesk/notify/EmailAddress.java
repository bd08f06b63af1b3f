package io.statusdesk.notify;

import io.statusdesk.Digest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address as people type it into a form: one mailbox, no display name, at most 254
 * characters, compared and hashed in lower case (providers treat case as the same mailbox).
 */
public final class EmailAddress {
  public static final int MAX_LENGTH = 254;
  private static final Pattern SHAPE =
      Pattern.compile(
          "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  private EmailAddress() {}

  /** The address normalised, or an {@link IllegalArgumentException} saying what is wrong. */
  public static String parse(String text) {
    String address = text == null ? "" : text.strip();
    if (address.isEmpty()) {
      throw new IllegalArgumentException("an email address is required");
    }
    if (address.length() > MAX_LENGTH
        || !SHAPE.matcher(address).matches()
        || address.startsWith(".")
        || address.contains("..")
        || address.contains(".@")) {
      throw new IllegalArgumentException("not an email address: use the form name@example.com");
    }
    return address.toLowerCase(Locale.ROOT);
  }

  /** What a suppression entry keeps of an address: its SHA-256, nothing readable. */
  public static byte[] hash(String address) {
    return Digest.sha256(address.toLowerCase(Locale.ROOT));
  }
}
