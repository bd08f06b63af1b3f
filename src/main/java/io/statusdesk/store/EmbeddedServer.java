package io.statusdesk.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one data directory, for as long as this process uses it: started
 * over whatever a killed predecessor left behind.
 */
final class EmbeddedServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

  private final FileChannel lockFile;
  private final FileLock lock;
  private final EmbeddedPostgres zonky;

  private EmbeddedServer(FileChannel lockFile, FileLock lock, EmbeddedPostgres zonky) {
    this.lockFile = lockFile;
    this.lock = lock;
    this.zonky = zonky;
  }

  /**
   * Takes the data directory for this process, stops a postmaster a killed predecessor left
   * running on it, and starts PostgreSQL with {@code settings} on the command line.
   */
  static EmbeddedServer start(Path dataDir, Map<String, String> settings) throws IOException {
    Path absolute = dataDir.toAbsolutePath().normalize();
    Path cluster = absolute.resolve("pg");
    Files.createDirectories(cluster);
    FileChannel channel = FileChannel.open(absolute.resolve("statusdesk.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("another statusdesk process is using the data directory "
          + dataDir + "; stop it first");
    }
    try {
      clearLeftovers(cluster);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(cluster)
          .setCleanDataDirectory(false)
          .setOverrideWorkingDirectory(absolute.resolve("pg-bin").toFile())
          .setServerConfig("max_connections", "200")
          .setServerConfig("listen_addresses", "127.0.0.1")
          // TCP only: a socket lock file in /tmp naming a killed postmaster that is not reaped
          // yet would keep its successor from starting.
          .setServerConfig("unix_socket_directories", "");
      settings.forEach(builder::setServerConfig);
      return new EmbeddedServer(channel, lock, builder.start());
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
  }

  int port() {
    return zonky.getPort();
  }

  /**
   * Makes the cluster startable: a postmaster still serving it (its owner was killed) is shut
   * down fast, and a lock file naming a dead process (or a zombie no one reaped, which
   * PostgreSQL would take for alive) is removed.
   */
  private static void clearLeftovers(Path cluster) throws IOException {
    Optional<Long> pid = pidFile(cluster);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(p -> alive(p.pid()));
    if (process.isEmpty()) {
      deleteStale(cluster, pid.get());
      return;
    }
    Optional<String> command = process.get().info().command();
    if (command.isPresent() && !Path.of(command.get()).getFileName().toString()
        .equals("postgres")) {
      // The number was handed to another program since: nothing holds the cluster.
      deleteStale(cluster, pid.get());
    } else if (command.isPresent() && servesCluster(process.get(), cluster)) {
      log.warn("a PostgreSQL (pid {}) left running on {} by an earlier run: shutting it down "
          + "to start it again with this run's settings", pid.get(), cluster);
      stopFast(Path.of(command.get()).resolveSibling("pg_ctl"), cluster);
    }
  }

  private static void deleteStale(Path cluster, long pid) throws IOException {
    log.info("removing the lock file of PostgreSQL pid {}, which is no longer running", pid);
    Files.deleteIfExists(cluster.resolve("postmaster.pid"));
  }

  private static boolean servesCluster(ProcessHandle process, Path cluster) {
    String[] args = process.info().arguments().orElse(new String[0]);
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-D")) {
        Path dir = Path.of(args[i + 1]);
        if (!dir.isAbsolute()) {
          try {
            dir = Files.readSymbolicLink(Path.of("/proc", String.valueOf(process.pid()), "cwd"))
                .resolve(dir);
          } catch (IOException | UnsupportedOperationException e) {
            return false;
          }
        }
        return sameFile(dir, cluster);
      }
    }
    return false;
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static void stopFast(Path pgCtl, Path cluster) throws IOException {
    Process stop = new ProcessBuilder(pgCtl.toString(), "stop", "-D", cluster.toString(), "-m",
        "fast", "-w", "-t", "60").redirectErrorStream(true).start();
    // Ends when pg_ctl does: once the postmaster is gone, or after its 60 s.
    String output = new String(stop.getInputStream().readAllBytes()).trim();
    try {
      if (stop.waitFor() != 0) {
        throw new IOException("cannot stop the PostgreSQL left running on " + cluster + ": "
            + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the PostgreSQL left on " + cluster);
    }
  }

  private static Optional<Long> pidFile(Path cluster) throws IOException {
    Path file = cluster.resolve("postmaster.pid");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file);
    try {
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Alive and not a zombie: a killed postmaster stays a zombie until its new parent reaps it. */
  private static boolean alive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      // no procfs (macOS): rely on the process handle
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      zonky.close();
    } finally {
      lock.release();
      lockFile.close();
    }
  }
}
