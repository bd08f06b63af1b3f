package io.statusdesk.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The command line in a JVM of its own, as an operator runs it: what logging prints while it starts
 * (and anything else written straight to the console) shows up only there.
 */
final class Cli {
  /** What a command printed, and how it ended. */
  record Run(int exit, String out, String err) {}

  private Cli() {}

  /** Runs {@code args} with {@code env} added to this JVM's environment, in {@code dir}. */
  static Run run(Path dir, Map<String, String> env, String... args) throws Exception {
    return run(dir, env, err -> false, args);
  }

  /**
   * As {@link #run(Path, Map, String...)}; once {@code stopWhen} holds for what it wrote to stderr
   * so far (a server that is up), it is sent SIGTERM.
   */
  static Run run(Path dir, Map<String, String> env, Predicate<String> stopWhen, String... args)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, Main.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    boolean stopped = false;
    while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
      if (!stopped && stopWhen.test(read(err))) {
        process.destroy();
        stopped = true;
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", args) + " did not end: " + read(err));
      }
    }
    return new Run(process.exitValue(), read(out), read(err));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
