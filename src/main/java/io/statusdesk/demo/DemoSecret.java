package io.statusdesk.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The demo's tenant sign-in key: random per data directory, kept in it (readable by its owner
 * only), so {@code serve --demo} and {@code tenant sign-in-url} agree without any setting. Used
 * only when no sign-in key is configured.
 */
public final class DemoSecret {
  private static final SecureRandom RANDOM = new SecureRandom();

  private DemoSecret() {}

  /** Where the key of {@code dataDir} is kept. */
  public static Path file(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve("demo-sso-secret");
  }

  /** The key of {@code dataDir}, made on first use. */
  public static String ensure(Path dataDir) throws IOException {
    Optional<String> existing = read(dataDir);
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Path file = file(dataDir);
    Files.createDirectories(file.getParent());
    Path partial =
        Files.createTempFile(
            file.getParent(),
            "demo-sso-secret",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(partial, secret + "\n", StandardCharsets.UTF_8);
    Files.move(partial, file);
    return secret;
  }

  /** The key of {@code dataDir}, if a demo ever ran there. */
  public static Optional<String> read(Path dataDir) throws IOException {
    Path file = file(dataDir);
    return Files.exists(file)
        ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
        : Optional.empty();
  }
}
