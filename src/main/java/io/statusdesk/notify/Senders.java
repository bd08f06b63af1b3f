package io.statusdesk.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.net.URI;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts messages on the wire: SMTP through vertx-mail-client, everything else as an HTTP POST of
 * JSON. Each answer is judged the same way: 2xx delivered; a timeout, 408, 425, 429 or 5xx worth
 * retrying; any other refusal permanent.
 */
final class Senders {
  /** A slow receiver holds a delivery this long at most; the lease is far longer. */
  static final long TIMEOUT_MS = 10_000;

  private static final int MAIL_CONNECTIONS = 16;
  private static final int HTTP_CONNECTIONS = 64;

  private final Optional<MailClient> mail;
  private final WebClient http;

  Senders(Vertx vertx, Optional<MailSettings> settings) {
    this.mail = settings.map(s -> MailClient.create(vertx, config(s)));
    this.http =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) TIMEOUT_MS)
                .setFollowRedirects(false)
                .setUserAgent("statusdesk-notifications"),
            new PoolOptions().setHttp1MaxSize(HTTP_CONNECTIONS));
  }

  private static MailConfig config(MailSettings s) {
    MailConfig c =
        new MailConfig()
            .setHostname(s.host())
            .setPort(s.port())
            .setMaxPoolSize(MAIL_CONNECTIONS)
            .setKeepAlive(true)
            .setPipelining(true)
            .setConnectTimeout((int) TIMEOUT_MS)
            .setOwnHostname(s.domain());
    switch (s.security()) {
      case TLS -> c.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
      case STARTTLS_REQUIRED -> c.setStarttls(StartTLSOptions.REQUIRED);
      case STARTTLS_OPTIONAL -> c.setStarttls(StartTLSOptions.OPTIONAL);
      case NONE -> c.setStarttls(StartTLSOptions.DISABLED);
    }
    // The relay's certificate must name the host of STATUSDESK_SMTP_URL (a certificate a trusted CA
    // made for another host is refused too): the mail client checks it as HTTPS does when no
    // algorithm is set, and setting one (even "HTTPS") turns the check off in vertx-mail-client 5.
    s.trust().ifPresent(t -> c.setTrustOptions(new PemTrustOptions().addCertPath(t.toString())));
    if (s.user().isPresent()) {
      c.setUsername(s.user().get())
          .setPassword(s.password().orElse(""))
          .setLogin(LoginOption.REQUIRED);
    } else {
      c.setLogin(LoginOption.DISABLED);
    }
    return c;
  }

  boolean mailEnabled() {
    return mail.isPresent();
  }

  /** Sends one email; {@code headers} carry its Message-ID and list headers. */
  Future<Void> email(
      String from, List<String> to, MailTemplates.Mail m, Map<String, String> headers) {
    if (mail.isEmpty()) {
      return Future.failedFuture(
          new DeliveryFailure("mail is not configured (STATUSDESK_SMTP_URL)", true));
    }
    MailMessage message =
        new MailMessage()
            .setFrom(from)
            .setTo(to)
            .setSubject(m.subject())
            .setText(m.text())
            .setHtml(m.html());
    headers.forEach(message::addHeader);
    return mail.get()
        .sendMail(message)
        .timeout(TIMEOUT_MS * 3, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(smtpFailure(e)));
  }

  /**
   * SMTP 5xx replies are permanent (no such mailbox, refused); the rest is retried. A certificate
   * refused during the TLS handshake is named as such: the mail client itself says only that it
   * could not make a TLS connection.
   */
  static DeliveryFailure smtpFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException) {
        return new DeliveryFailure(
            "smtp: the relay's TLS certificate was refused ("
                + firstLine(String.valueOf(cause.getMessage()))
                + "); check the host in STATUSDESK_SMTP_URL and the CA in STATUSDESK_SMTP_TRUST",
            false);
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    boolean permanent = message.matches("(?s).*\\b5[0-9]{2}[ -].*");
    return new DeliveryFailure("smtp: " + firstLine(message), permanent);
  }

  /** POSTs {@code body} as JSON with {@code headers}. */
  Future<Void> post(URI url, Map<String, String> headers, String body) {
    HttpRequest<Buffer> request =
        http.requestAbs(HttpMethod.POST, url.toString()).timeout(TIMEOUT_MS);
    request.putHeader("Content-Type", "application/json");
    headers.forEach(request::putHeader);
    return request
        .sendBuffer(Buffer.buffer(body))
        .recover(e -> Future.failedFuture(transportFailure(e)))
        .compose(Senders::judged);
  }

  private static Future<Void> judged(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return Future.succeededFuture();
    }
    boolean retry = status == 408 || status == 425 || status == 429 || status >= 500;
    return Future.failedFuture(new DeliveryFailure("HTTP " + status, !retry));
  }

  private static DeliveryFailure transportFailure(Throwable e) {
    String what =
        e instanceof TimeoutException || e.getCause() instanceof TimeoutException
            ? "timeout"
            : e instanceof ConnectException ? "connection refused" : firstLine(e.toString());
    return new DeliveryFailure(what, false);
  }

  private static String firstLine(String text) {
    String line = text.lines().findFirst().orElse(text);
    return line.length() > 300 ? line.substring(0, 300) : line;
  }

  /** A Slack incoming webhook message in Block Kit, with the text as its notification. */
  static JsonObject slack(MessageView view) {
    JsonArray blocks =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("type", "header")
                    .put(
                        "text",
                        new JsonObject()
                            .put("type", "plain_text")
                            .put("text", clip(view.subject(), 150))))
            .add(
                new JsonObject()
                    .put("type", "section")
                    .put(
                        "text",
                        new JsonObject()
                            .put("type", "mrkdwn")
                            .put("text", clip(slackEscape(view.text()), 3000))));
    if (view.linkUrl() != null) {
      blocks.add(
          new JsonObject()
              .put("type", "context")
              .put(
                  "elements",
                  new JsonArray()
                      .add(
                          new JsonObject()
                              .put("type", "mrkdwn")
                              .put(
                                  "text",
                                  "<"
                                      + view.linkUrl()
                                      + "|"
                                      + slackEscape(view.linkLabel())
                                      + ">"))));
    }
    return new JsonObject().put("text", view.subject()).put("blocks", blocks);
  }

  /** Slack's three control characters in text. */
  private static String slackEscape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A Telegram {@code sendMessage} as plain text (no parse mode: nothing to escape). */
  static JsonObject telegram(String chatId, MessageView view) {
    String link = view.linkUrl() == null ? "" : "\n\n" + view.linkUrl();
    return new JsonObject()
        .put("chat_id", chatId)
        .put("text", clip(view.subject() + "\n\n" + view.text() + link, 4096))
        .put("disable_web_page_preview", true);
  }

  /** A JANDI incoming webhook message: a title, a colour, the details as one block. */
  static JsonObject jandi(MessageView view) {
    String colour =
        switch (view.tone()) {
          case "bad" -> "#C62828";
          case "warn" -> "#B26A00";
          case "ok" -> "#2E7D32";
          default -> "#1F5FA8";
        };
    return new JsonObject()
        .put("body", clip(view.subject(), 1000))
        .put("connectColor", colour)
        .put(
            "connectInfo",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("title", clip(view.title(), 200))
                        .put(
                            "description",
                            clip(
                                view.text() + (view.linkUrl() == null ? "" : "\n" + view.linkUrl()),
                                3000))));
  }

  /** A Teams workflow message: one Adaptive Card. */
  static JsonObject teams(MessageView view) {
    JsonArray body =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("type", "TextBlock")
                    .put("text", view.subject())
                    .put("weight", "Bolder")
                    .put("size", "Medium")
                    .put("wrap", true))
            .add(
                new JsonObject()
                    .put("type", "TextBlock")
                    .put("text", view.text())
                    .put("wrap", true));
    JsonObject card =
        new JsonObject()
            .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
            .put("type", "AdaptiveCard")
            .put("version", "1.4")
            .put("body", body);
    if (view.linkUrl() != null) {
      card.put(
          "actions",
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("type", "Action.OpenUrl")
                      .put("title", view.linkLabel())
                      .put("url", view.linkUrl())));
    }
    return new JsonObject()
        .put("type", "message")
        .put(
            "attachments",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("contentType", "application/vnd.microsoft.card.adaptive")
                        .put("contentUrl", null)
                        .put("content", card)));
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  Future<Void> close() {
    http.close();
    return mail.map(MailClient::close).orElse(Future.succeededFuture());
  }
}
