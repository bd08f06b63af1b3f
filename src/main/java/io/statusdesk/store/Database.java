package io.statusdesk.store;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the service keeps its state in: an external one by URL, or an embedded one whose
 * files live under the data directory and survive restarts. Start-up work here (starting the
 * embedded server, migrating) blocks, so it runs before any event loop is involved.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final EmbeddedPostgres embedded;
  private final PgConnectOptions options;

  private Database(EmbeddedPostgres embedded, PgConnectOptions options) {
    this.embedded = embedded;
    this.options = options;
  }

  /** Connects to {@code url} ({@code postgresql://user:pass@host:port/db}). */
  public static Database external(String url) {
    return new Database(null, PgConnectOptions.fromUri(url));
  }

  /** Starts (or resumes) the embedded PostgreSQL whose cluster lives in {@code dataDir/pg}. */
  public static Database embedded(Path dataDir) throws IOException {
    if ("root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("the embedded PostgreSQL refuses to run as root: run "
          + "statusdesk as an ordinary user, or set STATUSDESK_DB_URL to an external PostgreSQL");
    }
    Path cluster = dataDir.resolve("pg");
    Files.createDirectories(cluster);
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(cluster)
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(dataDir.resolve("pg-bin").toFile())
        .setServerConfig("max_connections", "200")
        .setServerConfig("listen_addresses", "127.0.0.1")
        .start();
    log.info("embedded PostgreSQL on port {} with data in {}", pg.getPort(), cluster);
    return new Database(pg, embeddedOptions(pg.getPort()));
  }

  /**
   * For one-off commands (such as creating a token) while the service may be running: the
   * external database when a URL is set; else the embedded server the running service started,
   * found through its {@code postmaster.pid}; else the embedded server, started for the command.
   */
  public static Database forCommand(java.util.Optional<String> url, Path dataDir)
      throws IOException {
    if (url.isPresent()) {
      return external(url.get());
    }
    Path pidFile = dataDir.resolve("pg").resolve("postmaster.pid");
    if (Files.exists(pidFile)) {
      java.util.List<String> lines = Files.readAllLines(pidFile);
      boolean alive = lines.size() > 3 && ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
          .map(ProcessHandle::isAlive).orElse(false);
      if (alive) {
        return new Database(null, embeddedOptions(Integer.parseInt(lines.get(3).trim())));
      }
    }
    return embedded(dataDir);
  }

  private static PgConnectOptions embeddedOptions(int port) {
    return new PgConnectOptions().setHost("127.0.0.1").setPort(port)
        .setDatabase("postgres").setUser("postgres").setPassword("postgres");
  }

  /** A URL another process (or a test) can use to reach the same server, database {@code db}. */
  public String url(String db) {
    String auth = options.getPassword() == null || options.getPassword().isEmpty()
        ? options.getUser() : options.getUser() + ":" + options.getPassword();
    return "postgresql://" + auth + "@" + options.getHost() + ":" + options.getPort() + "/" + db;
  }

  public String url() {
    return url(options.getDatabase());
  }

  /** Brings the schema to the newest version; blocking. */
  public void migrate() {
    String jdbc = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/"
        + options.getDatabase();
    Flyway.configure()
        .dataSource(jdbc, options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  public Pool pool(Vertx vertx, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setConnectionTimeout(5)
            .setName("statusdesk-" + options.getDatabase()).setShared(false))
        .connectingTo(new PgConnectOptions(options).setPipeliningLimit(64))
        .using(vertx)
        .build();
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
