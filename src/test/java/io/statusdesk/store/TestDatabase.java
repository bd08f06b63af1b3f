package io.statusdesk.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM (starting one takes seconds); each test gets a fresh,
 * migrated database on it, so tests never see each other's rows. It runs without fsync and
 * synchronous commit for speed; tests about crashes start durable clusters of their own.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static Database server;

  private TestDatabase() {}

  public static synchronized Database server() {
    if (server == null) {
      try {
        server =
            Database.embedded(
                Path.of("target", "test-pg-" + ProcessHandle.current().pid()),
                Database.Durability.UNSAFE_FOR_TESTS);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the embedded PostgreSQL for tests", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (Exception ignored) {
                      // the JVM is exiting
                    }
                  }));
    }
    return server;
  }

  /** Creates an empty database, migrates it and returns its URL. */
  public static String fresh() {
    Database db = server();
    String name = "t" + COUNTER.incrementAndGet();
    try (Connection c =
            DriverManager.getConnection(jdbc(db.url("postgres")), "postgres", "postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    String url = db.url(name);
    Database.external(url).migrate();
    return url;
  }

  /** A JDBC connection for assertions that read what the service wrote. */
  public static Connection connect(String url) throws Exception {
    return DriverManager.getConnection(jdbc(url), "postgres", "postgres");
  }

  private static String jdbc(String url) {
    String hostAndDb = url.substring(url.indexOf('@') + 1);
    return "jdbc:postgresql://" + hostAndDb;
  }
}
