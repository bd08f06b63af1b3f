package io.statusdesk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Started as root (containers, fresh servers), the embedded PostgreSQL runs as the system user
 * statusdesk. Runs only when the tests run as root; the build runs them as an ordinary user, so
 * this is run by hand as root (see README, "Running as root").
 */
class RootStartTest {
  @TempDir Path temp;

  @BeforeEach
  void asRoot() throws Exception {
    assumeTrue(PostgresUser.root(), "runs only as root");
    // a temporary directory is its creator's alone; the data directory's parents must not be
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void postgresRunsAsTheStatusdeskUserAndAgainAfterACrashAndARestart() throws Exception {
    Path data = temp.resolve("data");
    try (Database db = Database.embedded(data, Database.Durability.DURABLE)) {
      assertThat(EmbeddedDatabaseTest.query(db, "SHOW fsync")).isEqualTo("on");
      long first = postmaster(data);
      assertThat(owner(first)).contains(PostgresUser.NAME);
      assertThat(Files.getOwner(data.resolve("pg")).getName()).isEqualTo(PostgresUser.NAME);
      assertThat(Files.getOwner(data.resolve("pg-bin")).getName()).isEqualTo(PostgresUser.NAME);

      ProcessHandle.of(first).orElseThrow().destroyForcibly();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  postmaster(data) != first
                      && "1".equals(EmbeddedDatabaseTest.query(db, "SELECT 1")));
      assertThat(owner(postmaster(data))).contains(PostgresUser.NAME);
    }
    try (Database db = Database.embedded(data, Database.Durability.DURABLE)) {
      assertThat(EmbeddedDatabaseTest.query(db, "SELECT current_user")).isEqualTo("postgres");
      assertThat(owner(postmaster(data))).contains(PostgresUser.NAME);
    }
  }

  @Test
  void aDataDirectoryTheUserCannotReachKeepsItsClusterWhereTheUserCan() throws Exception {
    Path closed =
        Files.createDirectory(
            temp.resolve("closed"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path data = closed.resolve("data");
    try (Database db = Database.embedded(data, Database.Durability.DURABLE)) {
      assertThat(EmbeddedDatabaseTest.query(db, "SHOW fsync")).isEqualTo("on");
      assertThat(owner(postmaster(data))).contains(PostgresUser.NAME);
    }
    Path cluster = data.resolve("pg").toRealPath();
    try {
      assertThat(Files.isSymbolicLink(data.resolve("pg"))).isTrue();
      assertThat(Files.isSymbolicLink(data.resolve("pg-bin"))).isTrue();
      assertThat(cluster).startsWith(PostgresUser.RELOCATED);
      assertThat(Files.getOwner(cluster).getName()).isEqualTo(PostgresUser.NAME);
    } finally {
      deleteTree(cluster.getParent());
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static long postmaster(Path data) throws Exception {
    return Long.parseLong(
        Files.readAllLines(data.resolve("pg").resolve("postmaster.pid")).get(0).trim());
  }

  private static Optional<String> owner(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().user());
  }
}
