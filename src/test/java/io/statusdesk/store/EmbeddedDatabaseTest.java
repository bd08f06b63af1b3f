package io.statusdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's own embedded PostgreSQL: durable settings, and starting over a left-over one. */
class EmbeddedDatabaseTest {
  @TempDir Path dir;

  @Test
  void theServiceClusterFlushesEveryCommitToDisk() throws Exception {
    try (Database db = Database.embedded(dir, Database.Durability.DURABLE)) {
      assertThat(settings(db))
          .containsExactly(
              Map.entry("fsync", "on"),
              Map.entry("synchronous_commit", "on"),
              Map.entry("full_page_writes", "on"));
    }
  }

  @Test
  void aPostmasterLeftRunningOnTheDataDirIsStoppedAndStartedAgain() throws Exception {
    startsOver(startOrphan());
  }

  @Test
  void theLockFileOfAKilledPostmasterIsNoObstacle() throws Exception {
    long killed = startOrphan();
    ProcessHandle.of(killed).orElseThrow().destroyForcibly();
    startsOver(killed);
  }

  @Test
  void aPostmasterOrphanedByAKilledJvmIsStoppedAndStartedAgain() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(java, "-cp", classpath, OrphanMaker.class.getName(), dir.toString())
            .redirectError(dir.resolve("child.log").toFile())
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("ready");
    }
    long orphan = postmasterPid();
    child.destroyForcibly().waitFor();
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);
    startsOver(orphan);
  }

  /** A new embedded database on the directory serves queries, durably, from a new postmaster. */
  private void startsOver(long leftover) throws Exception {
    try (Database db = Database.embedded(dir, Database.Durability.DURABLE)) {
      assertThat(query(db, "SELECT 1")).isEqualTo("1");
      assertThat(postmasterPid()).isNotEqualTo(leftover);
      assertThat(settings(db)).containsEntry("fsync", "on");
    }
  }

  /**
   * Starts the embedded database in a JVM of its own, says so, and waits to be killed (or for the
   * test's JVM, which holds its input open, to go).
   */
  public static final class OrphanMaker {
    public static void main(String[] args) throws Exception {
      Database.embedded(Path.of(args[0]), Database.Durability.DURABLE);
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // nothing is ever sent: this returns at the end of the input
      }
    }
  }

  /**
   * Creates the cluster, then starts a postmaster on it by hand, owned by no one: what a killed
   * service leaves behind. Returns its pid.
   */
  private long startOrphan() throws Exception {
    Database.embedded(dir, Database.Durability.DURABLE).close();
    Process pgCtl =
        new ProcessBuilder(
                pgCtl().toString(),
                "-D",
                dir.resolve("pg").toString(),
                "-o",
                "-p " + freePort() + " -c listen_addresses=127.0.0.1",
                "-w",
                "-l",
                dir.resolve("orphan.log").toString(),
                "start")
            .inheritIO()
            .start();
    assertThat(pgCtl.waitFor(60, TimeUnit.SECONDS) && pgCtl.exitValue() == 0).isTrue();
    return postmasterPid();
  }

  /** The pg_ctl beside the postgres binary the cluster last ran (zonky may share binaries). */
  private Path pgCtl() throws Exception {
    String opts = Files.readString(dir.resolve("pg").resolve("postmaster.opts"));
    return Path.of(opts.substring(0, opts.indexOf(' '))).resolveSibling("pg_ctl");
  }

  private long postmasterPid() throws Exception {
    return Long.parseLong(
        Files.readAllLines(dir.resolve("pg").resolve("postmaster.pid")).get(0).trim());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Map<String, String> settings(Database db) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
      out.put(name, query(db, "SHOW " + name));
    }
    return out;
  }

  static String query(Database db, String sql) throws Exception {
    try (Connection c = TestDatabase.connect(db.url());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
