package io.statusdesk.app;

import io.statusdesk.Await;
import io.statusdesk.admin.Totp;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person using the console over HTTP as a browser would: cookies kept, every form sent with the
 * CSRF token of the page it came from, authenticator codes computed from the enrolled secret.
 */
final class ConsoleUser {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7 ]+)<");
  private static final Pattern CODE = Pattern.compile("<li><code>([a-z2-7-]{19})</code></li>");

  final ServiceHarness harness;
  final WebClient client;
  final String email;
  final Map<String, String> cookies = new LinkedHashMap<>();
  String password;
  String secret;
  List<String> recoveryCodes = new ArrayList<>();

  /** The last 30-second step whose code was handed out: the service takes each step once. */
  private long lastStep;

  private ConsoleUser(ServiceHarness harness, WebClient client, String email) {
    this.harness = harness;
    this.client = client;
    this.email = email;
  }

  /** Someone at the sign-in page who has not signed in (yet). */
  static ConsoleUser anonymous(ServiceHarness harness, String email) {
    return new ConsoleUser(harness, client(harness), email);
  }

  static WebClient client(ServiceHarness harness) {
    return WebClient.create(harness.vertx, new WebClientOptions().setFollowRedirects(false));
  }

  /** {@code account create} on the command line: the set-up link it prints. */
  static String invite(ServiceHarness harness, String email, String role) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = Map.of("STATUSDESK_DB_URL", harness.dbUrl);
    int code =
        DataCommands.account(
            List.of("create", "--email", email, "--role", role),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env::get);
    if (code != 0) {
      throw new IllegalStateException(
          "account create failed: " + err.toString(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8).trim();
  }

  /** An account set up through its link (password, authenticator), not yet signed in. */
  static ConsoleUser enrol(ServiceHarness harness, String email, String role) throws Exception {
    ConsoleUser user = new ConsoleUser(harness, client(harness), email);
    user.setUp(invite(harness, email, role), "a long passphrase for " + email);
    return user;
  }

  /** An account set up and signed in. */
  static ConsoleUser signedIn(ServiceHarness harness, String email, String role) throws Exception {
    ConsoleUser user = enrol(harness, email, role);
    HttpResponse<Buffer> r = user.signIn(user.password, user.code());
    if (r.statusCode() != 303) {
      throw new IllegalStateException("sign-in failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return user;
  }

  /** Uses a set-up link: the page's secret, a password, the authenticator's code of now. */
  HttpResponse<Buffer> setUp(String link, String password) throws Exception {
    URI uri = URI.create(link);
    HttpResponse<Buffer> page = send(HttpMethod.GET, uri.getRawPath() + "?" + uri.getRawQuery());
    if (page.statusCode() != 200) {
      throw new IllegalStateException("set-up page: " + page.statusCode());
    }
    String html = page.bodyAsString();
    Matcher m = SECRET.matcher(html);
    if (!m.find()) {
      throw new IllegalStateException("no secret on the set-up page");
    }
    this.secret = m.group(1).replace(" ", "");
    this.password = password;
    HttpResponse<Buffer> done =
        post(
            "/admin/setup",
            csrf(html),
            Map.of(
                "token",
                uri.getRawQuery().substring("token=".length()),
                "password",
                password,
                "password_repeat",
                password,
                "code",
                code()));
    Matcher codes = CODE.matcher(done.bodyAsString());
    while (codes.find()) {
      recoveryCodes.add(codes.group(1));
    }
    return done;
  }

  /**
   * A code the service takes now and was never handed out before: the step before, of or after now,
   * moving the service's clock on by a step when all three were used.
   */
  String code() {
    long now = Totp.step(harness.clock.instant());
    long step = Math.max(now - 1, lastStep + 1);
    if (step > now + 1) {
      harness.clock.advance(Duration.ofSeconds(30));
      return code();
    }
    lastStep = step;
    return Totp.code(secret, Instant.ofEpochSecond(step * 30));
  }

  /** Signs in with the sign-in page's form token; the new session's cookie is kept. */
  HttpResponse<Buffer> signIn(String password, String code) throws Exception {
    HttpResponse<Buffer> page = send(HttpMethod.GET, "/admin/sign-in");
    return post(
        "/admin/sign-in",
        csrf(page.bodyAsString()),
        Map.of("email", email, "password", password, "code", code));
  }

  HttpResponse<Buffer> get(String path) throws Exception {
    return send(HttpMethod.GET, path);
  }

  /** Sends a form from the console page {@code from}, with that page's CSRF token. */
  HttpResponse<Buffer> submit(String from, String action, Map<String, String> form)
      throws Exception {
    return post(action, csrf(get(from).bodyAsString()), form);
  }

  /** Uploads {@code csv} as the file of the form on the console page {@code from}. */
  HttpResponse<Buffer> upload(String from, String action, String csv, Map<String, String> form)
      throws Exception {
    MultipartForm body = MultipartForm.create().attribute("csrf", csrf(get(from).bodyAsString()));
    form.forEach(body::attribute);
    body.textFileUpload("file", "upload.csv", Buffer.buffer(csv), "text/csv");
    return remember(Await.get(request(HttpMethod.POST, action).sendMultipartForm(body)));
  }

  /** Sends a form with {@code csrf} as its token (null: none at all). */
  HttpResponse<Buffer> post(String path, String csrf, Map<String, String> form) throws Exception {
    MultiMap body = MultiMap.caseInsensitiveMultiMap();
    form.forEach(body::add);
    if (csrf != null) {
      body.add("csrf", csrf);
    }
    HttpRequest<Buffer> request = request(HttpMethod.POST, path);
    return remember(Await.get(request.sendForm(body)));
  }

  HttpResponse<Buffer> send(HttpMethod method, String path) throws Exception {
    return remember(Await.get(request(method, path).send()));
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    HttpRequest<Buffer> request =
        client.request(method, harness.service.httpPort(), "127.0.0.1", path);
    if (!cookies.isEmpty()) {
      StringBuilder header = new StringBuilder();
      cookies.forEach((k, v) -> header.append(k).append('=').append(v).append("; "));
      request.putHeader("Cookie", header.toString());
    }
    return request;
  }

  /** Keeps the cookies an answer sets (an empty value with Max-Age=0 deletes one). */
  private HttpResponse<Buffer> remember(HttpResponse<Buffer> response) {
    for (String set : response.cookies()) {
      String pair = set.split(";", 2)[0];
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      if (value.isEmpty() || set.toLowerCase(Locale.ROOT).contains("max-age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    return response;
  }

  static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    if (!m.find()) {
      throw new IllegalStateException("no form token on the page");
    }
    return m.group(1);
  }

  String session() {
    return cookies.get("sd_console");
  }
}
