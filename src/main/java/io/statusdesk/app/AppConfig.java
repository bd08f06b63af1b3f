package io.statusdesk.app;

import io.statusdesk.notify.MailSettings;
import io.statusdesk.statuspage.StatusPageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings that come from the environment rather than checks.yaml (they differ per instance).
 *
 * @param httpHost bind address ({@code STATUSDESK_HTTP_HOST}, default 127.0.0.1)
 * @param httpPort port ({@code STATUSDESK_HTTP_PORT}, default 8080; 0 picks a free one)
 * @param dbUrl external PostgreSQL ({@code STATUSDESK_DB_URL}); empty means embedded
 * @param dataDir where the embedded database lives ({@code STATUSDESK_DATA_DIR}, default ./data)
 * @param location this instance's probe location label ({@code STATUSDESK_LOCATION})
 * @param resultBuffer results held while the database is slow ({@code STATUSDESK_RESULT_BUFFER})
 * @param demoPort port of the simulated helpdesk under --demo ({@code STATUSDESK_DEMO_PORT})
 * @param statusPage public URL ({@code STATUSDESK_PUBLIC_URL}), who may embed the widget ({@code
 *     STATUSDESK_FRAME_ANCESTORS}, CSP sources, default 'self') and the tenant sign-in key ({@code
 *     STATUSDESK_SSO_SECRET} for HS256, or {@code STATUSDESK_SSO_PUBLIC_KEY_FILE}, a PEM public
 *     key, for RS256)
 * @param trustedProxies peers whose X-Forwarded-For/-Proto are believed ({@code
 *     STATUSDESK_TRUSTED_PROXIES}, IPs or CIDRs, default none)
 * @param management where /metrics and /health are served without a token ({@code
 *     STATUSDESK_MANAGEMENT_ADDR}, default 127.0.0.1:9400; {@code off}: nowhere)
 * @param allowUnsafeDb serve from a database that can lose acknowledged commits in a crash ({@code
 *     STATUSDESK_ALLOW_UNSAFE_DB=true}; tests and throwaway demos only)
 * @param mail how email is sent ({@code STATUSDESK_SMTP_URL}, {@code STATUSDESK_MAIL_FROM} and
 *     {@code STATUSDESK_SMTP_TRUST}); empty: no email at all (no subscribe form, no email channels)
 * @param adminAllow the client addresses that may use the console and the operator API ({@code
 *     STATUSDESK_ADMIN_ALLOW}, IPs or CIDRs; empty: any)
 */
public record AppConfig(
    String httpHost,
    int httpPort,
    Optional<String> dbUrl,
    Path dataDir,
    String location,
    int resultBuffer,
    int demoPort,
    StatusPageConfig statusPage,
    TrustedProxies trustedProxies,
    Optional<HostPort> management,
    boolean allowUnsafeDb,
    Optional<MailSettings> mail,
    Networks adminAllow) {

  /** A listening address. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private static final Pattern SOURCE =
      Pattern.compile("'self'|'none'|https?://[A-Za-z0-9.*-]+(:\\d{1,5})?");

  private static final Pattern LOCATION = Pattern.compile("[a-z0-9-]{1,32}");
  private static final Pattern HOST_PORT =
      Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9.-]+)):(\\d{1,5})");

  public static AppConfig fromEnvironment(Function<String, String> env) throws ConfigException {
    List<String> errors = new ArrayList<>();
    String host = value(env, "STATUSDESK_HTTP_HOST", "127.0.0.1");
    int port = number(env, "STATUSDESK_HTTP_PORT", 8080, 0, 65535, errors);
    String url = env.apply("STATUSDESK_DB_URL");
    if (url != null
        && !url.isBlank()
        && !(url.startsWith("postgresql://") || url.startsWith("postgres://"))) {
      errors.add("STATUSDESK_DB_URL: must look like postgresql://user:pass@host:5432/db");
    }
    String location = value(env, "STATUSDESK_LOCATION", "local");
    if (!LOCATION.matcher(location).matches()) {
      errors.add("STATUSDESK_LOCATION: must match [a-z0-9-]{1,32}, not '" + location + "'");
    }
    int buffer = number(env, "STATUSDESK_RESULT_BUFFER", 100_000, 100, 10_000_000, errors);
    int demoPort = number(env, "STATUSDESK_DEMO_PORT", 0, 0, 65535, errors);
    StatusPageConfig statusPage = statusPage(env, errors);
    TrustedProxies proxies = TrustedProxies.none();
    try {
      proxies = TrustedProxies.parse(value(env, "STATUSDESK_TRUSTED_PROXIES", ""));
    } catch (IllegalArgumentException e) {
      errors.add("STATUSDESK_TRUSTED_PROXIES: " + e.getMessage());
    }
    Optional<HostPort> management =
        management(value(env, "STATUSDESK_MANAGEMENT_ADDR", "127.0.0.1:9400"), errors);
    String unsafe = value(env, "STATUSDESK_ALLOW_UNSAFE_DB", "false");
    if (!unsafe.equals("true") && !unsafe.equals("false")) {
      errors.add("STATUSDESK_ALLOW_UNSAFE_DB: must be true or false, not '" + unsafe + "'");
    }
    Optional<MailSettings> mail = Optional.empty();
    String smtp = env.apply("STATUSDESK_SMTP_URL");
    if (smtp != null && !smtp.isBlank()) {
      try {
        mail =
            Optional.of(
                MailSettings.parse(
                    smtp, env.apply("STATUSDESK_MAIL_FROM"), env.apply("STATUSDESK_SMTP_TRUST")));
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    } else if (env.apply("STATUSDESK_MAIL_FROM") != null
        && !env.apply("STATUSDESK_MAIL_FROM").isBlank()) {
      errors.add("STATUSDESK_MAIL_FROM: set STATUSDESK_SMTP_URL too, or mail is never sent");
    }
    String trust = env.apply("STATUSDESK_SMTP_TRUST");
    if ((smtp == null || smtp.isBlank()) && trust != null && !trust.isBlank()) {
      errors.add("STATUSDESK_SMTP_TRUST: set STATUSDESK_SMTP_URL too, or it is never used");
    }
    Networks adminAllow = Networks.parse("");
    try {
      adminAllow = Networks.parse(value(env, "STATUSDESK_ADMIN_ALLOW", ""));
    } catch (IllegalArgumentException e) {
      errors.add("STATUSDESK_ADMIN_ALLOW: " + e.getMessage());
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new AppConfig(
        host,
        port,
        url == null || url.isBlank() ? Optional.empty() : Optional.of(url),
        Path.of(value(env, "STATUSDESK_DATA_DIR", "data")),
        location,
        buffer,
        demoPort,
        statusPage,
        proxies,
        management,
        unsafe.equals("true"),
        mail,
        adminAllow);
  }

  /** The page's public base URL: {@code STATUSDESK_PUBLIC_URL}, else where it listens. */
  public String publicUrl() {
    return statusPage.publicUrl().orElse("http://" + httpHost + ":" + httpPort);
  }

  /** These settings with {@code secret} as the tenant sign-in key (the demo's). */
  public AppConfig withSsoSecret(String secret) {
    StatusPageConfig page =
        new StatusPageConfig(
            statusPage.publicUrl(),
            statusPage.frameAncestors(),
            Optional.of(secret),
            statusPage.ssoPublicKeyPem());
    return new AppConfig(
        httpHost,
        httpPort,
        dbUrl,
        dataDir,
        location,
        resultBuffer,
        demoPort,
        page,
        trustedProxies,
        management,
        allowUnsafeDb,
        mail,
        adminAllow);
  }

  /** {@code host:port}, {@code [v6]:port} or {@code off}. */
  private static Optional<HostPort> management(String value, List<String> errors) {
    if (value.equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    Matcher m = HOST_PORT.matcher(value);
    if (m.matches()) {
      int port = Integer.parseInt(m.group(3));
      if (port <= 65535) {
        return Optional.of(new HostPort(m.group(1) != null ? m.group(1) : m.group(2), port));
      }
    }
    errors.add(
        "STATUSDESK_MANAGEMENT_ADDR: must be host:port (e.g. 127.0.0.1:9400) or off, not '"
            + value
            + "'");
    return Optional.empty();
  }

  private static StatusPageConfig statusPage(Function<String, String> env, List<String> errors) {
    String publicUrl = env.apply("STATUSDESK_PUBLIC_URL");
    if (publicUrl != null
        && !publicUrl.isBlank()
        && !publicUrl.matches("https?://[A-Za-z0-9.:\\[\\]-]+(/[A-Za-z0-9._~/-]*)?")) {
      errors.add(
          "STATUSDESK_PUBLIC_URL: must be an http(s) URL such as https://status.example.com");
    }
    String ancestors = value(env, "STATUSDESK_FRAME_ANCESTORS", "'self'");
    for (String source : ancestors.trim().split("\\s+", -1)) {
      if (!SOURCE.matcher(source).matches()) {
        errors.add(
            "STATUSDESK_FRAME_ANCESTORS: '"
                + source
                + "' is not 'self', 'none' or an "
                + "http(s) origin");
      }
    }
    String secret = env.apply("STATUSDESK_SSO_SECRET");
    if (secret != null && !secret.isBlank() && secret.length() < 32) {
      errors.add("STATUSDESK_SSO_SECRET: must be at least 32 characters");
    }
    String keyFile = env.apply("STATUSDESK_SSO_PUBLIC_KEY_FILE");
    Optional<String> pem = Optional.empty();
    if (keyFile != null && !keyFile.isBlank()) {
      try {
        pem = Optional.of(Files.readString(Path.of(keyFile.trim())));
        if (!pem.get().contains("BEGIN PUBLIC KEY")) {
          errors.add("STATUSDESK_SSO_PUBLIC_KEY_FILE: " + keyFile + " holds no PEM public key");
        }
      } catch (IOException e) {
        errors.add("STATUSDESK_SSO_PUBLIC_KEY_FILE: cannot read " + keyFile);
      }
    }
    return new StatusPageConfig(
        publicUrl == null || publicUrl.isBlank()
            ? Optional.empty()
            : Optional.of(publicUrl.trim().replaceAll("/+$", "")),
        ancestors,
        secret == null || secret.isBlank() ? Optional.empty() : Optional.of(secret),
        pem);
  }

  private static String value(Function<String, String> env, String name, String fallback) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  private static int number(
      Function<String, String> env,
      String name,
      int fallback,
      int min,
      int max,
      List<String> errors) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the accepted range
    }
    errors.add(name + ": must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    return fallback;
  }
}
