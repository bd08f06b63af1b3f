package io.statusdesk.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the service keeps its state in: an external one by URL, or an embedded one whose
 * files live under the data directory and survive restarts. Start-up work here (starting the
 * embedded server, migrating, checking its settings) blocks, so it runs before any event loop is
 * involved.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** Settings without which a crash can lose commits PostgreSQL already acknowledged. */
  private static final Map<String, Set<String>> DURABLE_VALUES = new LinkedHashMap<>();

  static {
    DURABLE_VALUES.put("fsync", Set.of("on"));
    // Every other value flushes the local WAL before a commit returns.
    DURABLE_VALUES.put("synchronous_commit", Set.of("on", "local", "remote_write", "remote_apply"));
    DURABLE_VALUES.put("full_page_writes", Set.of("on"));
  }

  /** Whether an embedded cluster keeps what it acknowledged through a crash. */
  public enum Durability {
    /** fsync, synchronous commit and full-page writes on: what the service runs with. */
    DURABLE,
    /** The embedded library's test defaults (no fsync, asynchronous commit): fast, tests only. */
    UNSAFE_FOR_TESTS
  }

  private final EmbeddedServer embedded;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final PgConnectOptions options;

  private Database(EmbeddedServer embedded, PgConnectOptions options) {
    this.embedded = embedded;
    this.options = options;
  }

  /** Connects to {@code url} ({@code postgresql://user:pass@host:port/db}). */
  public static Database external(String url) {
    return new Database(null, PgConnectOptions.fromUri(url));
  }

  /**
   * Starts (or resumes) the embedded PostgreSQL whose cluster lives in {@code dataDir/pg}: a
   * postmaster an earlier run left behind is shut down first, and one that dies while this process
   * uses it is restarted on the same port. As root, PostgreSQL runs as the system user {@code
   * statusdesk}.
   */
  public static Database embedded(Path dataDir, Durability durability) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    if (durability == Durability.DURABLE) {
      // zonky passes -F (fsync off) first; these later -c options win.
      DURABLE_VALUES.keySet().forEach(name -> settings.put(name, "on"));
      // A checkpoint every five minutes (the default) cost a service probing 100 checks more
      // CPU than its probes' commits; the WAL keeps every commit either way, so a longer span
      // only lengthens crash recovery, which at this write rate replays seconds of WAL.
      settings.put("checkpoint_timeout", "30min");
      // The WAL writer only matters for asynchronous commits, which the service never makes.
      settings.put("wal_writer_delay", "1s");
      // A worker forked every minute to find, mostly, nothing to do; tables still get vacuumed
      // and analyzed by the same thresholds, looked at every five minutes.
      settings.put("autovacuum_naptime", "5min");
    }
    EmbeddedServer server = EmbeddedServer.start(dataDir, settings);
    log.info(
        "embedded PostgreSQL on port {} with data in {}", server.port(), dataDir.resolve("pg"));
    return new Database(server, embeddedOptions(server.port()));
  }

  /**
   * For one-off commands (such as creating a token) while the service may be running: the external
   * database when a URL is set; else the embedded server the running service started, found through
   * its {@code postmaster.pid}; else the embedded server, started for the command. Where the
   * service never ran there is nothing to start: refused, naming the directory, rather than
   * creating a database the service would never see.
   */
  public static Database forCommand(Optional<String> url, Path dataDir) throws IOException {
    if (url.isPresent()) {
      return external(url.get());
    }
    Path absolute = dataDir.toAbsolutePath().normalize();
    if (!EmbeddedServer.hasCluster(absolute)) {
      throw new IllegalStateException(
          "no service data in "
              + absolute
              + " (it holds no "
              + "database cluster pg/): run this in the service's directory, or set "
              + "STATUSDESK_DATA_DIR to its data directory or STATUSDESK_DB_URL to its database");
    }
    Optional<Integer> running = EmbeddedServer.runningPort(dataDir);
    return running.isPresent()
        ? new Database(null, embeddedOptions(running.get()))
        : embedded(dataDir, Durability.DURABLE);
  }

  private static PgConnectOptions embeddedOptions(int port) {
    return new PgConnectOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setDatabase("postgres")
        .setUser("postgres")
        .setPassword("postgres");
  }

  /** A URL another process (or a test) can use to reach the same server, database {@code db}. */
  public String url(String db) {
    String auth =
        options.getPassword() == null || options.getPassword().isEmpty()
            ? options.getUser()
            : options.getUser() + ":" + options.getPassword();
    return "postgresql://" + auth + "@" + options.getHost() + ":" + options.getPort() + "/" + db;
  }

  public String url() {
    return url(options.getDatabase());
  }

  /**
   * The settings of this database that let a crash lose acknowledged commits, as {@code
   * name=value}; empty when it is durable. Blocking.
   */
  public List<String> unsafeSettings() throws SQLException {
    List<String> unsafe = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(jdbc(), options.getUser(), options.getPassword());
        Statement s = c.createStatement()) {
      for (Map.Entry<String, Set<String>> setting : DURABLE_VALUES.entrySet()) {
        try (ResultSet rs = s.executeQuery("SHOW " + setting.getKey())) {
          rs.next();
          if (!setting.getValue().contains(rs.getString(1))) {
            unsafe.add(setting.getKey() + "=" + rs.getString(1));
          }
        }
      }
    }
    return unsafe;
  }

  /** True while the embedded PostgreSQL is being restarted after its postmaster died. */
  public boolean restarting() {
    return embedded != null && embedded.restarting();
  }

  /** Brings the schema to the newest version; blocking. */
  public void migrate() {
    Flyway.configure()
        .dataSource(jdbc(), options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  private String jdbc() {
    return "jdbc:postgresql://"
        + options.getHost()
        + ":"
        + options.getPort()
        + "/"
        + options.getDatabase();
  }

  /** A connection of its own, outside any pool: for locks that live as long as it does. */
  public Future<SqlConnection> connect(Vertx vertx) {
    return PgConnection.connect(vertx, new PgConnectOptions(options)).map(c -> c);
  }

  /**
   * A LISTEN connection to this database; it reconnects every second after it is lost. Its loss is
   * the first sign of an embedded postmaster's death, so the supervisor looks at once.
   */
  public PgSubscriber subscriber(Vertx vertx) {
    return PgSubscriber.subscriber(vertx, options)
        .reconnectPolicy(
            retries -> {
              if (retries == 0 && embedded != null) {
                embedded.look();
              }
              return 1_000L;
            });
  }

  public Pool pool(Vertx vertx, int size) {
    return PgBuilder.pool()
        .with(
            new PoolOptions()
                .setMaxSize(size)
                .setConnectionTimeout(5)
                .setName("statusdesk-" + options.getDatabase())
                .setShared(false))
        .connectingTo(new PgConnectOptions(options).setPipeliningLimit(64))
        .using(vertx)
        .build();
  }

  /** Stops the embedded PostgreSQL, if this opened one; closing twice is closing once. */
  @Override
  public void close() throws IOException {
    if (embedded != null && closed.compareAndSet(false, true)) {
      embedded.close();
    }
  }
}
