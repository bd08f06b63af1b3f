import io.statusdesk.admin.Totp;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** See run.sh. */
public class ConsoleBench {
  private static final Path DIR = Path.of("target", "bench-console");
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static String base;
  private static String cookie = "";

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    if (Files.exists(DIR)) {
      try (var walk = Files.walk(DIR)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(DIR);
    Vertx vertx = Vertx.vertx();
    int target =
        vertx
            .createHttpServer()
            .requestHandler(r -> r.response().end("{\"status\":\"UP\"}"))
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();
    StringBuilder yaml =
        new StringBuilder(
            "timezone: Asia/Seoul\ndefaults: {interval: 30s, timeout: 5s}\ncomponents:\n");
    for (int c = 0; c < 100; c++) {
      yaml.append("  - id: comp-").append(c).append("\n    impact: major\n    cells:\n");
      for (int k = 0; k < 100; k++) {
        yaml.append("      - {id: cell-")
            .append(k)
            .append(", url: \"http://127.0.0.1:")
            .append(target)
            .append("/c")
            .append(c)
            .append("/")
            .append(k)
            .append("\"}\n");
      }
    }
    Path checks = DIR.resolve("checks.yaml");
    Files.writeString(checks, yaml);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STATUSDESK_DATA_DIR", DIR.resolve("data").toString());
    env.put("STATUSDESK_HTTP_PORT", String.valueOf(port));
    env.put("STATUSDESK_MANAGEMENT_ADDR", "off");
    env.put("STATUSDESK_PUBLIC_URL", "http://127.0.0.1:" + port);
    ProcessBuilder serve =
        new ProcessBuilder(
                "java",
                "-Xmx1g",
                "-jar",
                "target/statusdesk.jar",
                "serve",
                "--checks",
                checks.toString())
            .redirectErrorStream(true)
            .redirectOutput(DIR.resolve("service.log").toFile());
    serve.environment().putAll(env);
    Process service = serve.start();
    base = "http://127.0.0.1:" + port;
    try {
      long t0 = System.nanoTime();
      while (true) {
        try {
          if (get("/health").statusCode() == 200) {
            break;
          }
        } catch (IOException e) {
          // not listening yet
        }
        if (!service.isAlive() || System.nanoTime() - t0 > 300_000_000_000L) {
          throw new IllegalStateException("the service did not start; see " + DIR + "/service.log");
        }
        Thread.sleep(500);
      }
      System.out.printf(
          "service up with 10,000 checks in %,d ms%n", (System.nanoTime() - t0) / 1_000_000);
      seed(env);
      signIn(env);
      YearMonth last = YearMonth.now(SEOUL).minusMonths(1);
      List<String> pages =
          List.of(
              "/admin/overview",
              "/admin/overview?failing=1",
              "/admin/overview?after=comp-50/cell-50",
              "/admin/overview/comp-7/cell-7",
              "/admin/incidents",
              "/admin/incidents/1",
              "/admin/incidents/new",
              "/admin/outages?month=" + last,
              "/admin/outages/1",
              "/admin/maintenance",
              "/admin/maintenance/1",
              "/admin/maintenance/new",
              "/admin/tenants",
              "/admin/tenants?after=t050000",
              "/admin/tenants?q=t0999",
              "/admin/tenants?q=Tenant%2077777",
              "/admin/tenants/t012345",
              "/admin/months",
              "/admin/months/" + last,
              "/admin/ledger",
              "/admin/ledger?kind=issue&month=" + last,
              "/admin/ledger?tenant=t054321",
              "/admin/ledger/tenants/t054321",
              "/admin/sla",
              "/admin/audit",
              "/admin/audit?action=incident",
              "/admin/accounts",
              "/admin/tokens");
      System.out.printf(
          "%-42s %8s %8s %8s%n",
          "page (" + requests + " requests each)", "p50 ms", "p99 ms", "bytes");
      for (String page : pages) {
        for (int i = 0; i < 20; i++) {
          check(page, get(page));
        }
        long[] ms = new long[requests];
        int bytes = 0;
        for (int i = 0; i < requests; i++) {
          long s = System.nanoTime();
          HttpResponse<String> r = get(page);
          ms[i] = (System.nanoTime() - s) / 1_000;
          check(page, r);
          bytes = r.body().length();
        }
        Arrays.sort(ms);
        System.out.printf(
            "%-42s %8.1f %8.1f %8d%n",
            page,
            ms[requests / 2] / 1000.0,
            ms[(int) Math.ceil(requests * 0.99) - 1] / 1000.0,
            bytes);
      }
    } finally {
      service.destroy();
      service.waitFor();
      vertx.close().await();
    }
  }

  private static void check(String page, HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(page + ": " + r.statusCode() + " " + r.body());
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(
      String method, String path, String type, String body, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofMinutes(5))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", type);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    } else {
      b.header("Cookie", cookie);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String cli(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", "target/statusdesk.jar"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", args) + " failed");
    }
    return out;
  }

  /** 100,000 tenants, a month with a major outage closed for all of them, incidents, windows. */
  private static void seed(Map<String, String> env) throws Exception {
    String billing = cli(env, "token", "create", "--role", "billing", "--name", "bench-billing");
    String operator = cli(env, "token", "create", "--role", "operator", "--name", "bench-ops");
    long t0 = System.nanoTime();
    StringBuilder csv = new StringBuilder("id,name,plan,members,status,cells\n");
    String[] plans = {"continent", "earth", "universe"};
    for (int i = 0; i < 100_000; i++) {
      csv.append(
          String.format(
              "t%06d,Tenant %d,%s,%d,current,comp-%d/cell-%d%n",
              i, i, plans[i % 3], 1 + i % 25, i % 100, i % 100));
    }
    YearMonth last = YearMonth.now(SEOUL).minusMonths(1);
    Instant lastStart = last.atDay(1).atStartOfDay(SEOUL).toInstant();
    HttpResponse<String> imported =
        send(
            "POST",
            "/api/v1/tenants/import?effective_from="
                + URLEncoder.encode(
                    lastStart.minusSeconds(86_400).toString(), StandardCharsets.UTF_8),
            "text/csv",
            csv.toString(),
            billing);
    System.out.printf(
        "import of 100,000 tenants: %d in %,d ms%n",
        imported.statusCode(), (System.nanoTime() - t0) / 1_000_000);
    // monitored since before last month, so last month can be closed
    String pid = Files.readAllLines(DIR.resolve("data/pg/postmaster.pid")).get(3).trim();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + pid + "/postgres", "postgres", "postgres");
        Statement st = c.createStatement()) {
      st.execute("UPDATE checks SET created_at = '" + lastStart.minusSeconds(86_400) + "'");
    }
    for (int i = 0; i < 200; i++) {
      Instant start = lastStart.plusSeconds(3_600L * 3 * i);
      String body =
          String.format(
              "{\"title\": \"Incident %d\", \"components\": [\"comp-%d\"], \"class\": \"%s\","
                  + " \"started_at\": \"%s\", \"resolved_at\": \"%s\", \"status\": \"resolved\","
                  + " \"message\": \"Resolved.\"}",
              i, i % 100, i % 4 == 0 ? "major" : "partial", start, start.plusSeconds(1_800));
      expect(send("POST", "/api/v1/incidents", "application/json", body, operator), 201);
    }
    Instant soon = Instant.now().plus(Duration.ofDays(8));
    for (int i = 0; i < 50; i++) {
      Instant start = soon.plusSeconds(86_400L * i);
      String body =
          String.format(
              "{\"title\": \"Window %d\", \"components\": [\"comp-%d\"], \"starts_at\": \"%s\","
                  + " \"ends_at\": \"%s\"%s}",
              i,
              i,
              start,
              start.plusSeconds(7_200),
              i % 5 == 0 ? ", \"rrule\": \"FREQ=WEEKLY\"" : "");
      expect(send("POST", "/api/v1/maintenance", "application/json", body, operator), 201);
    }
    long c0 = System.nanoTime();
    HttpResponse<String> closed =
        expect(
            send("POST", "/api/v1/months/" + last + "/close", "application/json", "", billing),
            200);
    System.out.printf(
        "closed %s in %,d ms: %s%n",
        last,
        (System.nanoTime() - c0) / 1_000_000,
        closed.body().replaceAll(".*\"entries_written\":(\\d+).*", "$1 entries"));
  }

  private static HttpResponse<String> expect(HttpResponse<String> r, int status) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(r.uri() + ": " + r.statusCode() + " " + r.body());
    }
    return r;
  }

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7 ]+)<");

  /** An admin from its set-up link, signed in: its session cookie is kept for the pages. */
  private static void signIn(Map<String, String> env) throws Exception {
    String link = cli(env, "account", "create", "--email", "bench@example.com", "--role", "admin");
    String path = link.substring(link.indexOf("/admin/"));
    HttpResponse<String> page = get(path);
    String form = formCookie(page);
    cookie = form;
    String secret = match(SECRET, page.body()).replace(" ", "");
    String token = path.substring(path.indexOf("token=") + 6);
    long step = Totp.step(Instant.now());
    String password = "benchmark passphrase";
    expect(
        send(
            "POST",
            "/admin/setup",
            "application/x-www-form-urlencoded",
            "csrf="
                + match(CSRF, page.body())
                + "&token="
                + token
                + "&password="
                + enc(password)
                + "&password_repeat="
                + enc(password)
                + "&code="
                + Totp.code(secret, Instant.ofEpochSecond(step * 30)),
            null),
        200);
    HttpResponse<String> signIn =
        send(
            "POST",
            "/admin/sign-in",
            "application/x-www-form-urlencoded",
            "csrf="
                + match(CSRF, get("/admin/sign-in").body())
                + "&email=bench%40example.com"
                + "&password="
                + enc(password)
                + "&code="
                + Totp.code(secret, Instant.ofEpochSecond((step + 1) * 30)),
            null);
    expect(signIn, 303);
    cookie =
        signIn.headers().allValues("set-cookie").stream()
            .filter(c -> c.startsWith("sd_console="))
            .map(c -> c.split(";", 2)[0])
            .findFirst()
            .orElseThrow();
  }

  private static String formCookie(HttpResponse<String> page) {
    return page.headers().allValues("set-cookie").stream()
        .filter(c -> c.startsWith("sd_console_form="))
        .map(c -> c.split(";", 2)[0])
        .findFirst()
        .orElseThrow();
  }

  private static String match(Pattern p, String text) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("not found: " + p);
    }
    return m.group(1);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
