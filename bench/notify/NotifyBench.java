import io.statusdesk.app.AppConfig;
import io.statusdesk.app.ChecksConfig;
import io.statusdesk.app.ChecksFile;
import io.statusdesk.app.Statusdesk;
import io.statusdesk.app.TrustedProxies;
import io.statusdesk.notify.MailSettings;
import io.statusdesk.statuspage.StatusPageConfig;
import io.statusdesk.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * See run.sh. The service runs in this JVM on an embedded PostgreSQL with its real dispatcher and
 * mail client; the SMTP sink accepts every message (with pipelining, like a relay) and counts it.
 */
public class NotifyBench {
  private static final Duration LIMIT = Duration.ofMinutes(15);

  public static void main(String[] args) throws Exception {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Vertx vertx = Vertx.vertx();
    Sink sink = new Sink();
    NetServer smtp =
        vertx.createNetServer().connectHandler(sink::serve).listen(0, "127.0.0.1").await();

    Path dir = Path.of("target", "bench-notify");
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Database db = Database.embedded(dir, Database.Durability.DURABLE);
    try {
      run(vertx, db, dir, smtp, sink, subscribers);
    } finally {
      vertx.close().await();
      db.close();
    }
  }

  private static void run(
      Vertx vertx, Database db, Path dir, NetServer smtp, Sink sink, int subscribers)
      throws Exception {
    db.migrate();
    String jdbc = "jdbc:postgresql://" + db.url().substring(db.url().indexOf('@') + 1);
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO notify_subscribers (kind, address, lang, state, token, created_at,
            confirmed_at)
          SELECT 'email', 'reader' || g || '@bench.example', CASE WHEN mod(g, 3) = 0 THEN 'ko'
            ELSE 'en' END, 'active', substr(md5(g::text) || md5('t' || g), 1, 43),
            now() - interval '1 day', now() - interval '1 day'
          FROM generate_series(1, %d) g\
          """
              .formatted(subscribers));
    }

    ChecksConfig checks =
        ChecksFile.parse(
            "bench.yaml",
            """
            components:
              - {id: ticketing, name: {en: Ticketing, ko: 티켓팅}, impact: major,
                 heartbeat: {max_silence: 1d, token: a-long-heartbeat-token}}
            """,
            System::getenv);
    AppConfig config =
        new AppConfig(
            "127.0.0.1",
            0,
            Optional.of(db.url()),
            dir,
            "bench",
            10_000,
            0,
            StatusPageConfig.defaults(),
            TrustedProxies.none(),
            Optional.empty(),
            false,
            Optional.of(
                MailSettings.parse(
                    "smtp://127.0.0.1:" + smtp.actualPort() + "?starttls=off",
                    "Helpdesk Status <status@bench.example>")));
    Statusdesk service = Statusdesk.start(vertx, config, checks, db, Clock.systemUTC()).await();
    String token = operatorToken(db.url());

    String incident =
        """
        {"title": "Ticketing is slow", "title_ko": "티켓팅 지연",
         "impacts": {"ticketing": "partial_outage"},
         "started_at": "%s", "status": "investigating", "message": "Looking into it.",
         "message_ko": "확인 중입니다."}\
        """
            .formatted(Instant.now().minusSeconds(60));
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.httpPort() + "/api/v1/incidents"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(incident))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    long postedAt = System.nanoTime();
    if (created.statusCode() != 201) {
      throw new IllegalStateException("incident not opened: " + created.body());
    }

    Instant deadline = Instant.now().plus(LIMIT);
    double enqueueSeconds;
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
        Statement s = c.createStatement()) {
      // the fan-out commits the deliveries and marks its event in one transaction
      String fannedOut =
          "SELECT count(*) FROM notify_events"
              + " WHERE kind = 'incident.opened' AND fanned_out_at IS NOT NULL";
      while (count(s, fannedOut) == 0) {
        waitUntil(deadline, "the fan-out");
      }
      enqueueSeconds = (System.nanoTime() - postedAt) / 1e9;
      long enqueued = count(s, "SELECT count(*) FROM notify_deliveries WHERE channel = 'email'");
      System.out.printf(
          "subscribers %,d: %,d deliveries enqueued %.2f s after the incident's POST was"
              + " answered%n",
          subscribers, enqueued, enqueueSeconds);
      while (sink.messages.get() < subscribers) {
        waitUntil(deadline, "the deliveries (" + sink.messages.get() + " received)");
      }
      double spanSeconds = (sink.lastNanos.get() - sink.firstNanos.get()) / 1e9;
      double allSeconds = (sink.lastNanos.get() - postedAt) / 1e9;
      Thread.sleep(2_000);
      long sent = count(s, "SELECT count(*) FROM notify_deliveries WHERE state = 'sent'");
      long other = count(s, "SELECT count(*) FROM notify_deliveries WHERE state <> 'sent'");
      System.out.printf(
          "delivered %,d messages to the SMTP sink in %.1f s from the first: %,.0f messages/s"
              + " (%.1f s from the incident's POST); deliveries sent %,d, not sent %,d,"
              + " messages received %,d%n",
          subscribers,
          spanSeconds,
          subscribers / spanSeconds,
          allSeconds,
          sent,
          other,
          sink.messages.get());
    }
    service.stop().await();
    smtp.close().await();
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void waitUntil(Instant deadline, String what) throws InterruptedException {
    if (Instant.now().isAfter(deadline)) {
      throw new IllegalStateException("gave up waiting for " + what + " after " + LIMIT);
    }
    Thread.sleep(20);
  }

  /** An operator's API token, made the way an operator makes one: the CLI, in its own JVM. */
  private static String operatorToken(String dbUrl) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                "target/statusdesk.jar",
                "io.statusdesk.app.Main",
                "token",
                "create",
                "--role",
                "operator",
                "--name",
                "bench-operator")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("STATUSDESK_DB_URL", dbUrl);
    Process p = builder.start();
    String token = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || token.isEmpty()) {
      throw new IllegalStateException("token create failed");
    }
    return token;
  }

  /** A minimal SMTP server that accepts every message, as a local relay would. */
  static final class Sink {
    final AtomicLong messages = new AtomicLong();
    final AtomicLong firstNanos = new AtomicLong();
    final AtomicLong lastNanos = new AtomicLong();

    void serve(NetSocket socket) {
      boolean[] data = {false};
      RecordParser lines =
          RecordParser.newDelimited(
              "\r\n",
              line -> {
                if (data[0]) {
                  if (line.length() == 1 && line.getByte(0) == '.') {
                    data[0] = false;
                    long now = System.nanoTime();
                    firstNanos.compareAndSet(0, now);
                    lastNanos.set(now);
                    messages.incrementAndGet();
                    socket.write("250 2.0.0 queued\r\n");
                  }
                  return;
                }
                String command = line.toString(StandardCharsets.US_ASCII).toUpperCase();
                if (command.startsWith("EHLO")) {
                  socket.write("250-sink.bench\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
                } else if (command.startsWith("DATA")) {
                  data[0] = true;
                  socket.write("354 go ahead\r\n");
                } else if (command.startsWith("QUIT")) {
                  socket.write("221 bye\r\n").onComplete(v -> socket.close());
                } else {
                  socket.write("250 ok\r\n");
                }
              });
      socket.handler(lines);
      socket.write(Buffer.buffer("220 sink.bench ESMTP\r\n"));
    }
  }
}
