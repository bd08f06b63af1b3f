package io.statusdesk.notify;

/**
 * The links a message carries for its one recipient (confirm, manage, unsubscribe). A message is
 * rendered once for everyone with placeholders, and each recipient's copy gets its own token:
 * rendering 100,000 copies would cost far more than replacing three words.
 */
final class Links {
  static final String CONFIRM = "%%confirm%%";
  static final String MANAGE = "%%manage%%";
  static final String UNSUBSCRIBE = "%%unsubscribe%%";

  private Links() {}

  /** Where a subscriber with {@code token} confirms, manages and leaves. */
  static String confirm(String publicUrl, String token) {
    return publicUrl + "/subscribe/confirm?token=" + token;
  }

  static String manage(String publicUrl, String token) {
    return publicUrl + "/subscription?token=" + token;
  }

  static String unsubscribe(String publicUrl, String token) {
    return publicUrl + "/unsubscribe?token=" + token;
  }

  /** {@code text} with a subscriber's links in place of the placeholders. */
  static String fill(String text, String publicUrl, String token) {
    return text.replace(CONFIRM, confirm(publicUrl, token))
        .replace(MANAGE, manage(publicUrl, token))
        .replace(UNSUBSCRIBE, unsubscribe(publicUrl, token));
  }
}
