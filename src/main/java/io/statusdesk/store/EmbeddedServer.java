package io.statusdesk.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one data directory, for as long as this process uses it: started over
 * whatever a killed predecessor left behind, and restarted on the same port when its postmaster
 * dies, so connections made from the same options find it again.
 *
 * <p>zonky starts the first postmaster, except as root (see {@link PostgresUser}: then this class
 * starts it, as that user, with the command line zonky would use). A crashed one is started again
 * by this class, as a child of this JVM, from the command line PostgreSQL recorded in {@code
 * postmaster.opts}: the same binaries, port and settings. Closing stops whichever postmaster serves
 * the cluster.
 */
final class EmbeddedServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

  /**
   * How often the supervisor looks whether the postmaster lives by itself. It also looks at once
   * when a connection is lost ({@link #look}), which is how a crash shows first: backends leave
   * with their postmaster, closing the service's connections.
   */
  private static final long WATCH_MS = 5_000;

  private static final long FIRST_RETRY_MS = 1_000;
  private static final long MAX_RETRY_MS = 30_000;
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private final Path dataDir;
  private final Path cluster;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final Semaphore looks = new Semaphore(0);

  /** What started the first postmaster; null when this class did (as root). */
  private final EmbeddedPostgres zonky;

  private final int port;
  private final Thread supervisor;
  private volatile long postmasterPid;

  /** The postmaster this class started (as root, or after a crash), a child of this JVM. */
  private volatile Process child;

  private volatile boolean restarting;
  private volatile boolean closed;

  private EmbeddedServer(
      Path dataDir,
      FileChannel lockFile,
      FileLock lock,
      EmbeddedPostgres zonky,
      int port,
      Process child)
      throws IOException {
    this.dataDir = dataDir;
    this.cluster = PostgresUser.real(dataDir.resolve("pg"));
    this.lockFile = lockFile;
    this.lock = lock;
    this.zonky = zonky;
    this.port = port;
    this.child = child;
    this.postmasterPid =
        pidFile(cluster)
            .orElseThrow(() -> new IOException("PostgreSQL started but wrote no postmaster.pid"));
    this.supervisor = new Thread(this::supervise, "statusdesk-postgres-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  /**
   * Takes the data directory for this process, stops a postmaster a killed predecessor left running
   * on it, and starts PostgreSQL with {@code settings} on the command line.
   */
  static EmbeddedServer start(Path dataDir, Map<String, String> settings) throws IOException {
    Path absolute = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(absolute);
    FileChannel channel =
        FileChannel.open(
            absolute.resolve("statusdesk.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "another statusdesk process is using the data directory " + dataDir + "; stop it first");
    }
    try {
      Path binaries = PostgresUser.root() ? PostgresUser.prepare(absolute) : null;
      Path cluster = PostgresUser.real(absolute.resolve("pg"));
      Files.createDirectories(cluster);
      clearLeftovers(cluster);
      Map<String, String> config = new LinkedHashMap<>();
      // zonky's own defaults, written out so that a server started as root runs alike
      config.put("timezone", "UTC");
      config.put("synchronous_commit", "off");
      config.put("max_connections", "200");
      config.put("listen_addresses", "127.0.0.1");
      // TCP only: a socket lock file in /tmp naming a killed postmaster that is not reaped
      // yet would keep its successor from starting.
      config.put("unix_socket_directories", "");
      config.putAll(settings);
      if (binaries != null) {
        return startAsUser(absolute, binaries, channel, lock, config);
      }
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(cluster)
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(absolute.resolve("pg-bin").toFile())
              // zonky gives up after 10 s, which a busy machine's first start (initdb) can take
              .setPGStartupWait(READY_WITHIN)
              // whoever opened the database closes it (Main's one hook stops the service first)
              .setRegisterShutdownHook(false);
      config.forEach(builder::setServerConfig);
      EmbeddedPostgres zonky = builder.start();
      try {
        return new EmbeddedServer(absolute, channel, lock, zonky, zonky.getPort(), null);
      } catch (IOException e) {
        zonky.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
  }

  /**
   * As root: creates the cluster if needed and starts the postmaster as {@link PostgresUser}, with
   * the options zonky passes ({@code -p PORT -F -c name=value ...}; later ones win).
   */
  private static EmbeddedServer startAsUser(
      Path dataDir, Path binaries, FileChannel channel, FileLock lock, Map<String, String> config)
      throws IOException {
    Path cluster = PostgresUser.real(dataDir.resolve("pg"));
    if (!Files.exists(cluster.resolve("postgresql.conf"))) {
      PostgresUser.initdb(binaries, cluster);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                binaries.resolve("bin/postgres").toString(),
                "-D",
                cluster.toString(),
                "-p",
                String.valueOf(port),
                "-F"));
    config.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
    Process postmaster = launch(dataDir, command);
    try {
      return new EmbeddedServer(dataDir, channel, lock, null, port, postmaster);
    } catch (IOException e) {
      postmaster.destroy();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** {@code command} as the embedded PostgreSQL's programs run: as {@link PostgresUser} if root. */
  private static List<String> pg(List<String> command) {
    return PostgresUser.root() ? PostgresUser.as(command) : command;
  }

  /** Whether a cluster was ever created under {@code dataDir}. */
  static boolean hasCluster(Path dataDir) {
    return Files.exists(dataDir.resolve("pg").resolve("PG_VERSION"));
  }

  /** The port of a live postmaster serving {@code dataDir}'s cluster, if one runs. */
  static Optional<Integer> runningPort(Path dataDir) throws IOException {
    Path cluster = dataDir.resolve("pg");
    if (pidFile(cluster).filter(EmbeddedServer::alive).isEmpty()) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(cluster.resolve("postmaster.pid"));
    return lines.size() > 3 ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
  }

  /** True from noticing the postmaster died until its successor accepts connections. */
  boolean restarting() {
    return restarting;
  }

  /**
   * Makes the cluster startable: a postmaster still serving it (its owner was killed) is shut down
   * fast, and a lock file naming a dead process (or a zombie no one reaped, which PostgreSQL would
   * take for alive) or another program is removed. A live process whose program cannot be read is
   * left for PostgreSQL to judge.
   */
  private static void clearLeftovers(Path cluster) throws IOException {
    Optional<Long> pid = pidFile(cluster);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle.Info> info = liveInfo(pid.get());
    boolean postgres =
        info.flatMap(ProcessHandle.Info::command)
            .map(c -> Path.of(c).getFileName().toString().equals("postgres"))
            .orElse(false);
    if (info.isPresent()
        && (info.get().command().isEmpty() || (postgres && info.get().arguments().isEmpty()))) {
      return;
    }
    if (postgres && servesCluster(pid.get(), info.get().arguments().get(), cluster)) {
      log.warn(
          "a PostgreSQL (pid {}) left running on {} by an earlier run: shutting it down "
              + "to start it again with this run's settings",
          pid.get(),
          cluster);
      try {
        stopFast(Path.of(info.get().command().get()).resolveSibling("pg_ctl"), cluster);
        return;
      } catch (IOException e) {
        if (alive(pid.get())) {
          throw e;
        }
        // It was killed meanwhile: its lock file is as stale as any other.
      }
    }
    clearStale(cluster, pid.get());
  }

  /**
   * What {@code pid} runs, or empty once it is dead. A process that is exiting no longer shows its
   * program, so a live one is given two seconds to show it or die.
   */
  private static Optional<ProcessHandle.Info> liveInfo(long pid) throws IOException {
    for (int tries = 0; alive(pid); tries++) {
      Optional<ProcessHandle.Info> info = ProcessHandle.of(pid).map(ProcessHandle::info);
      if ((info.isPresent() && info.get().command().isPresent()) || tries == 20) {
        return info;
      }
      pauseStartUp(100);
    }
    return Optional.empty();
  }

  private static void pauseStartUp(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the embedded PostgreSQL");
    }
  }

  /**
   * Removes the lock file of a postmaster that is gone, once the processes it leaves behind (which
   * PostgreSQL would find still attached to its shared memory) have exited too.
   */
  private static void clearStale(Path cluster, long pid) throws IOException {
    List<String> lines = Files.readAllLines(cluster.resolve("postmaster.pid"));
    String[] shm = lines.size() > 6 ? lines.get(6).trim().split("\\s+") : new String[0];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (shm.length == 2 && attached(shm[1]) && System.nanoTime() < deadline) {
      pauseStartUp(100);
    }
    log.info("removing the lock file of PostgreSQL pid {}, which is no longer running", pid);
    Files.deleteIfExists(cluster.resolve("postmaster.pid"));
  }

  /** Whether processes are attached to System V shared memory segment {@code shmid} (Linux). */
  private static boolean attached(String shmid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/sysvipc/shm"))) {
        String[] f = line.trim().split("\\s+", -1);
        if (f.length > 6 && f[1].equals(shmid)) {
          return !f[6].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      // no procfs: PostgreSQL itself refuses a segment still in use
    }
    return false;
  }

  private static boolean servesCluster(long pid, String[] args, Path cluster) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-D")) {
        Path dir = Path.of(args[i + 1]);
        if (!dir.isAbsolute()) {
          try {
            dir = Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "cwd")).resolve(dir);
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
    Process stop =
        new ProcessBuilder(
                pg(
                    List.of(
                        pgCtl.toString(),
                        "stop",
                        "-D",
                        cluster.toString(),
                        "-m",
                        "fast",
                        "-w",
                        "-t",
                        "60")))
            .redirectErrorStream(true)
            .start();
    // Ends when pg_ctl does: once the postmaster is gone, or after its 60 s.
    String output = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      if (stop.waitFor() != 0) {
        throw new IOException(
            "cannot stop the PostgreSQL left running on " + cluster + ": " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the PostgreSQL left on " + cluster);
    }
  }

  /** Has the supervisor look whether the postmaster lives now (a connection was lost). */
  void look() {
    looks.release();
  }

  /** Watches the postmaster; when it dies, starts it again with growing pauses between tries. */
  private void supervise() {
    while (!closed) {
      if (!postmasterDied()) {
        continue;
      }
      restarting = true;
      log.warn(
          "the embedded PostgreSQL (pid {}) died; restarting it on port {}", postmasterPid, port());
      long retryMs = FIRST_RETRY_MS;
      while (!closed && restarting) {
        if (!pause(retryMs)) {
          break;
        }
        try {
          restart();
          restarting = false;
          log.info("the embedded PostgreSQL runs again (pid {})", postmasterPid);
        } catch (IOException e) {
          retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
          log.warn(
              "restarting the embedded PostgreSQL failed ({}); next try in {} s",
              e.getMessage(),
              retryMs / 1000);
        }
      }
    }
  }

  private void restart() throws IOException {
    Optional<Long> dead = pidFile(cluster).filter(pid -> !alive(pid));
    if (dead.isPresent()) {
      clearStale(cluster, dead.get());
    }
    Process process = launch(dataDir, recordedCommand());
    child = process;
    postmasterPid = process.pid();
  }

  /**
   * Starts the postmaster {@code command} runs (its output appended to {@code postgres.log}) and
   * waits until it accepts connections.
   */
  private static Process launch(Path dataDir, List<String> command) throws IOException {
    Path output = dataDir.resolve("postgres.log");
    Process process =
        new ProcessBuilder(pg(command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
            .start();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    try {
      while (!ready(dataDir.resolve("pg"), process.pid())) {
        if (!process.isAlive()) {
          throw new IOException(
              "postgres exited with status " + process.exitValue() + ", see " + output);
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "postgres did not accept connections within " + READY_WITHIN.toSeconds() + " s");
        }
        pauseStartUp(100);
      }
    } catch (IOException e) {
      process.destroy();
      throw e;
    }
    return process;
  }

  /**
   * The command line the cluster last started with, as PostgreSQL recorded it: the binary's path,
   * then each argument in double quotes.
   */
  private List<String> recordedCommand() throws IOException {
    String opts = Files.readString(cluster.resolve("postmaster.opts")).trim();
    int args = opts.indexOf(" \"");
    List<String> command = new ArrayList<>();
    command.add(args < 0 ? opts : opts.substring(0, args));
    Matcher m = QUOTED.matcher(args < 0 ? "" : opts.substring(args));
    while (m.find()) {
      command.add(m.group(1));
    }
    return command;
  }

  /** Whether {@code pid} runs the postmaster and it said it accepts connections. */
  private static boolean ready(Path cluster, long pid) throws IOException {
    Path file = cluster.resolve("postmaster.pid");
    if (!Files.exists(file)) {
      return false;
    }
    List<String> lines = Files.readAllLines(file);
    return lines.size() > 7
        && lines.get(0).trim().equals(String.valueOf(pid))
        && lines.get(7).trim().equals("ready");
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
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      // no procfs (macOS): rely on the process handle
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      // one read a second: a zombie (dead, not yet reaped) is as dead as a missing process
      String stat = Files.readString(proc.resolve(String.valueOf(pid)).resolve("stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Stops the postmaster this class started as root with the pg_ctl beside it. */
  private void stopAsUser() {
    try {
      stopFast(Path.of(recordedCommand().get(0)).resolveSibling("pg_ctl"), cluster);
    } catch (IOException e) {
      log.warn("stopping the embedded PostgreSQL: {}", e.getMessage());
    }
  }

  /** Sleeps; false when closing interrupted it. */
  /**
   * Waits until asked to look or {@link #WATCH_MS} passed, then answers whether the postmaster is
   * gone. Asked because a connection was lost, it looks a few more times over a second: backends
   * see their postmaster's death before the dying process leaves the process table.
   */
  private boolean postmasterDied() {
    boolean asked;
    try {
      asked = looks.tryAcquire(WATCH_MS, TimeUnit.MILLISECONDS);
      looks.drainPermits();
    } catch (InterruptedException e) {
      return false;
    }
    for (int look = 0; !closed; look++) {
      if (!alive(postmasterPid)) {
        return true;
      }
      if (!asked || look == 10 || !pause(100)) {
        return false;
      }
    }
    return false;
  }

  private boolean pause(long ms) {
    try {
      Thread.sleep(ms);
      return !closed;
    } catch (InterruptedException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    supervisor.interrupt();
    try {
      supervisor.join(TimeUnit.SECONDS.toMillis(70));
      // Either stops whichever postmaster serves the cluster, ours after a restart included.
      if (zonky != null) {
        zonky.close();
      } else {
        stopAsUser();
      }
      Process started = child;
      if (started != null && !started.waitFor(60, TimeUnit.SECONDS)) {
        started.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.release();
      lockFile.close();
    }
  }
}
