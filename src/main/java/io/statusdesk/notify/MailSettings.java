package io.statusdesk.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How mail is sent: {@code STATUSDESK_SMTP_URL} ({@code smtp://user:pass@host:587}, or {@code
 * smtps://} for TLS from the first byte; {@code ?starttls=required} refuses a server that does not
 * offer STARTTLS, {@code ?starttls=off} never asks) and {@code STATUSDESK_MAIL_FROM} ({@code
 * status@example.com} or {@code Example Status <status@example.com>}), and for a relay whose
 * certificate a private CA signed, {@code STATUSDESK_SMTP_TRUST} (a PEM file of the certificates to
 * trust instead of the JVM's public CAs).
 *
 * @param from the From header as given
 * @param fromAddress the address alone, whose domain also names each Message-ID
 * @param trust a PEM file of the CA certificates (or the server's own) that TLS is checked against;
 *     empty: the JVM's default trust store
 */
public record MailSettings(
    String host,
    int port,
    Security security,
    Optional<String> user,
    Optional<String> password,
    String from,
    String fromAddress,
    Optional<Path> trust) {

  /** How the connection is protected. */
  public enum Security {
    /** TLS from the first byte (smtps, usually port 465). */
    TLS,
    /** STARTTLS when the server offers it, plain otherwise. */
    STARTTLS_OPTIONAL,
    /** STARTTLS or no mail at all. */
    STARTTLS_REQUIRED,
    /** Plain text: a relay on the same host only. */
    NONE
  }

  private static final Pattern NAMED = Pattern.compile("([^<>]*)<([^<>]+)>");

  /** {@link #parse(String, String, String)} trusting the JVM's default CAs. */
  public static MailSettings parse(String url, String from) {
    return parse(url, from, null);
  }

  /**
   * The settings, or an {@link IllegalArgumentException} naming the variable at fault.
   *
   * @param trust {@code STATUSDESK_SMTP_TRUST}: null or blank for the JVM's default CAs
   */
  public static MailSettings parse(String url, String from, String trust) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "STATUSDESK_SMTP_URL: must look like smtp://user:pass@host:587");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("smtp") && !scheme.equals("smtps")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "STATUSDESK_SMTP_URL: must look like smtp://user:pass@host:587 or smtps://host:465");
    }
    Security security = scheme.equals("smtps") ? Security.TLS : Security.STARTTLS_OPTIONAL;
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      if (scheme.equals("smtps") || !query.matches("starttls=(required|optional|off)")) {
        throw new IllegalArgumentException(
            "STATUSDESK_SMTP_URL: the only option is ?starttls=required|optional|off (smtp://)");
      }
      security =
          switch (query.substring("starttls=".length())) {
            case "required" -> Security.STARTTLS_REQUIRED;
            case "off" -> Security.NONE;
            default -> Security.STARTTLS_OPTIONAL;
          };
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = Optional.of(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
      password =
          parts.length > 1
              ? Optional.of(URLDecoder.decode(parts[1], StandardCharsets.UTF_8))
              : Optional.empty();
    }
    int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("smtps") ? 465 : 25;
    if (from == null || from.isBlank()) {
      throw new IllegalArgumentException(
          "STATUSDESK_MAIL_FROM: required with STATUSDESK_SMTP_URL, e.g. status@example.com");
    }
    String trimmed = from.strip();
    Matcher named = NAMED.matcher(trimmed);
    String address = named.matches() ? named.group(2).strip() : trimmed;
    try {
      address = EmailAddress.parse(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "STATUSDESK_MAIL_FROM: '" + trimmed + "' is not an address or Name <address>");
    }
    if (trimmed.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("STATUSDESK_MAIL_FROM: must be one line");
    }
    return new MailSettings(
        uri.getHost(),
        port,
        security,
        user,
        password,
        trimmed,
        address,
        trust == null || trust.isBlank() ? Optional.empty() : Optional.of(trust(trust, security)));
  }

  /**
   * A readable PEM file with at least one certificate, checked now rather than at the first mail.
   */
  private static Path trust(String file, Security security) {
    if (security == Security.NONE) {
      throw new IllegalArgumentException(
          "STATUSDESK_SMTP_TRUST: STATUSDESK_SMTP_URL has ?starttls=off, so no certificate is"
              + " ever checked; drop one of them");
    }
    Path path = Path.of(file.strip());
    try (InputStream in = Files.newInputStream(path)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new CertificateException("no certificate in it");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "STATUSDESK_SMTP_TRUST: cannot read " + path + " (" + e + ")", e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "STATUSDESK_SMTP_TRUST: "
              + path
              + " is not a PEM file of certificates (-----BEGIN CERTIFICATE-----): "
              + e.getMessage(),
          e);
    }
    return path;
  }

  /** The domain of the From address: Message-IDs are made in it. */
  public String domain() {
    return fromAddress.substring(fromAddress.indexOf('@') + 1);
  }

  /** The settings without the password, for logs. */
  @Override
  public String toString() {
    return "smtp "
        + host
        + ":"
        + port
        + " ("
        + security
        + trust.map(t -> ", trusting " + t).orElse("")
        + ") from "
        + from;
  }
}
