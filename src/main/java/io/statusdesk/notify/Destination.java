package io.statusdesk.notify;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where an alert channel of checks.yaml sends: a mailbox, a signed webhook or a chat service. Chat
 * services are reached at the URL the operator gives (Slack, JANDI and Teams webhook URLs) or at a
 * configurable API address (Telegram), so tests and proxies can stand in for them.
 */
public sealed interface Destination {
  /** The name used in checks.yaml's {@code type:}: the record's name in lower case. */
  default String type() {
    return getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  /** Email to {@code to}, through STATUSDESK_SMTP_URL. */
  record Email(List<String> to) implements Destination {
    public Email {
      to = List.copyOf(to);
    }
  }

  /** A webhook signed as Standard Webhooks say, with {@code secret} ({@code whsec_...}). */
  record Webhook(URI url, String secret) implements Destination {}

  /** A Slack incoming webhook: Block Kit messages. */
  record Slack(URI url) implements Destination {}

  /** A Telegram bot's {@code sendMessage} to one chat, at {@code api} (api.telegram.org). */
  record Telegram(URI api, String token, String chatId) implements Destination {
    public static final URI DEFAULT_API = URI.create("https://api.telegram.org");
  }

  /** A JANDI incoming webhook. */
  record Jandi(URI url) implements Destination {}

  /** A Microsoft Teams workflow ("post to a channel when a webhook request is received"). */
  record Teams(URI url) implements Destination {}
}
