package io.statusdesk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files the service serves as they are (stylesheets, scripts, a webjar's chart library): from the
 * working directory's copy when there is one (edit and reload while developing), else from the jar.
 */
public final class Resources {
  private Resources() {}

  /** The bytes of {@code path}; a missing file is a start-up error. */
  public static byte[] read(String path) {
    try {
      Path file = Path.of(path);
      if (Files.exists(file)) {
        return Files.readAllBytes(file);
      }
      try (InputStream in = Resources.class.getResourceAsStream("/" + path)) {
        if (in == null) {
          throw new IllegalStateException(path + " is missing");
        }
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
