import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * See run.sh. Prints achieved vs scheduled probes/s, schedule lag, CPU per 1,000 probes, memory.
 */
public class ProbeBench {
  private static final long TICKS = 100; // USER_HZ on Linux
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("cost")) {
      int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 180;
      // Steady state: a service runs for months, so the JIT compiler's first minutes are a
      // start-up cost (printed apart). At 5 probes/s a method run once per probe takes some
      // 15 minutes to reach C2's thresholds; 10 minutes leave a little compiling in the window.
      int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 600;
      List<Integer> sizes = new ArrayList<>();
      for (int i = 3; i < args.length; i++) {
        sizes.add(Integer.parseInt(args[i]));
      }
      if (sizes.isEmpty()) {
        sizes = List.of(1_000, 100);
      }
      List<Result> results = new ArrayList<>();
      for (int checks : sizes) {
        results.add(run(checks, seconds, 20, warmUp));
      }
      System.out.println();
      System.out.printf(
          "| checks at 20 s | CPU s per minute after %d s: service JVM (of which JIT compiler)"
              + " + PostgreSQL = total |%n",
          warmUp);
      System.out.println("|---|---|");
      for (Result r : results) {
        System.out.printf(
            "| %d | %.3f (%.3f) + %.3f = %.3f |%n",
            r.checks(),
            r.jvmPerMinute(),
            r.jitPerMinute(),
            r.pgPerMinute(),
            r.jvmPerMinute() + r.pgPerMinute());
      }
      return;
    }
    int checks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 180;
    int intervalSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    run(checks, seconds, intervalSeconds, 20);
  }

  /** CPU seconds per minute of one run: service JVM (its JIT compiler threads) and PostgreSQL. */
  record Result(int checks, double jvmPerMinute, double jitPerMinute, double pgPerMinute) {}

  static Result run(int checks, int seconds, int intervalSeconds, int warmUpSeconds)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    int targetPort = target(vertx);
    Path dir = Path.of(System.getenv().getOrDefault("STATUSDESK_BENCH_DIR", "target/bench-probe"));
    // a fresh database each run: the checks of an earlier run would add their own costs
    fresh(dir);
    StringBuilder yaml =
        new StringBuilder(
            """
            timezone: Asia/Seoul
            max_in_flight: 512
            defaults: {interval: %ds, timeout: 5s, failure_threshold: 3, success_threshold: 2}
            components:
            """
                .formatted(intervalSeconds));
    int perComponent = 100;
    for (int c = 0; c * perComponent < checks; c++) {
      yaml.append("  - id: c").append(c).append("\n    impact: partial\n    cells:\n");
      for (int i = 0; i < perComponent && c * perComponent + i < checks; i++) {
        yaml.append("      - {id: k")
            .append(i)
            .append(", url: \"http://127.0.0.1:")
            .append(targetPort)
            .append("/c")
            .append(c)
            .append("/k")
            .append(i)
            .append("\", conditions: [\"[STATUS] == 200\"]}\n");
      }
    }
    Path checksFile = dir.resolve("checks.yaml");
    Files.writeString(checksFile, yaml);

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int managementPort;
    try (ServerSocket s = new ServerSocket(0)) {
      managementPort = s.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of("java", "-Xmx1g"));
    // e.g. a flight recording: -XX:StartFlightRecording=filename=target/service.jfr
    String jvmOptions = System.getenv("STATUSDESK_BENCH_JVM_OPTS");
    if (jvmOptions != null && !jvmOptions.isBlank()) {
      command.addAll(List.of(jvmOptions.trim().split("\\s+")));
    }
    command.addAll(
        List.of("-jar", "target/statusdesk.jar", "serve", "--checks", checksFile.toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("STATUSDESK_HTTP_PORT", String.valueOf(port));
    // metrics without a token come from the management listener
    pb.environment().put("STATUSDESK_MANAGEMENT_ADDR", "127.0.0.1:" + managementPort);
    pb.environment().put("STATUSDESK_DATA_DIR", dir.resolve("data").toString());
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile());
    Process service = pb.start();
    try {
      String base = "http://127.0.0.1:" + managementPort;
      waitForHealth(base, service);
      System.out.printf(
          "service pid %d, %d checks every %ds, warming up %d s%n",
          service.pid(), checks, intervalSeconds, warmUpSeconds);
      Thread.sleep(warmUpSeconds * 1000L);

      Sample a = sample(base, service.pid(), dir);
      Thread.sleep(seconds * 1000L);
      Sample b = sample(base, service.pid(), dir);

      double elapsed = (b.nanos - a.nanos) / 1e9;
      double probes = b.probes - a.probes;
      double down = b.down - a.down;
      double cpu = (b.cpuTicks - a.cpuTicks) / (double) TICKS;
      double pgCpu = (b.pgTicks - a.pgTicks) / (double) TICKS;
      double jit = (b.jitTicks - a.jitTicks) / (double) TICKS;
      System.out.printf("measured over          %.0f s%n", elapsed);
      System.out.printf("probes/s scheduled     %.0f%n", checks / (double) intervalSeconds);
      System.out.printf(
          "probes/s achieved      %.1f  (down: %.0f, skipped slots: %.0f)%n",
          probes / elapsed, down, b.skipped - a.skipped);
      System.out.printf("schedule lag p50       %s%n", quantile(a.lag, b.lag, 0.50));
      System.out.printf("schedule lag p99       %s%n", quantile(a.lag, b.lag, 0.99));
      System.out.printf("schedule lag max       %.3f s (decaying max)%n", b.lagMax);
      System.out.printf(
          "results written/s      %.1f  (buffered now: %.0f, failed batches: %.0f)%n",
          (b.written - a.written) / elapsed, b.buffered, b.failedBatches - a.failedBatches);
      System.out.printf(
          "CPU s per 1000 probes  %.3f service JVM, %.3f PostgreSQL%n",
          cpu / (probes / 1000), pgCpu / (probes / 1000));
      System.out.printf(
          "CPU use                %.0f%% of one core (JVM), %.0f%% (PostgreSQL)%n",
          100 * cpu / elapsed, 100 * pgCpu / elapsed);
      System.out.printf("heap used              %.0f MiB%n", b.heap / 1048576);
      System.out.printf("RSS                    %d MiB%n", b.rssKb / 1024);
      System.out.printf(
          "CPU s per minute       %.3f service JVM (JIT compiler %.3f) + %.3f PostgreSQL = %.3f%n",
          60 * cpu / elapsed,
          60 * jit / elapsed,
          60 * pgCpu / elapsed,
          60 * (cpu + pgCpu) / elapsed);
      return new Result(checks, 60 * cpu / elapsed, 60 * jit / elapsed, 60 * pgCpu / elapsed);
    } finally {
      service.destroy();
      service.waitFor();
      vertx.close();
    }
  }

  /** The local endpoint every check probes: always up. */
  static int target(Vertx vertx) {
    return vertx
        .createHttpServer()
        .requestHandler(req -> req.response().end("{\"status\":\"UP\"}"))
        .listen(0, "127.0.0.1")
        .await()
        .actualPort();
  }

  /** Empties {@code dir} (a previous run's database and logs). */
  static void fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    Files.createDirectories(dir);
  }

  record Sample(
      long nanos,
      double probes,
      double down,
      double skipped,
      double written,
      double buffered,
      double failedBatches,
      TreeMap<Double, Double> lag,
      double lagMax,
      double heap,
      long cpuTicks,
      long jitTicks,
      long pgTicks,
      long rssKb) {}

  static Sample sample(String base, long pid, Path dir) throws Exception {
    long nanos = System.nanoTime();
    String m = get(base + "/metrics");
    TreeMap<Double, Double> lag = new TreeMap<>();
    Matcher bucket =
        Pattern.compile("statusdesk_schedule_lag_seconds_bucket\\{le=\"([^\"]+)\"} ([0-9.E+]+)")
            .matcher(m);
    while (bucket.find()) {
      double le =
          bucket.group(1).equals("+Inf")
              ? Double.POSITIVE_INFINITY
              : Double.parseDouble(bucket.group(1));
      lag.put(le, Double.parseDouble(bucket.group(2)));
    }
    return new Sample(
        nanos,
        sum(m, "statusdesk_probes_total"),
        sum(m, "statusdesk_probes_total{outcome=\"down\"}"),
        sum(m, "statusdesk_probes_skipped_total"),
        sum(m, "statusdesk_results_written_total"),
        sum(m, "statusdesk_result_buffer"),
        sum(m, "statusdesk_result_batches_total{result=\"failed\"}"),
        lag,
        sum(m, "statusdesk_schedule_lag_seconds_max"),
        sum(m, "jvm_memory_used_bytes{area=\"heap\""),
        cpuTicks(pid),
        compilerTicks(pid),
        postgresTicks(dir),
        rss(pid));
  }

  static String quantile(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double q) {
    double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
    double previousLe = 0;
    for (Map.Entry<Double, Double> e : after.entrySet()) {
      double count = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      if (count >= q * total) {
        return String.format("<= %.3f s (bucket %.3f..%.3f)", e.getKey(), previousLe, e.getKey());
      }
      previousLe = e.getKey();
    }
    return "n/a";
  }

  static double sum(String metrics, String prefix) {
    double total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix)) {
        String rest = line.substring(prefix.length());
        if (rest.startsWith(" ")
            || rest.startsWith("{")
            || rest.startsWith(",")
            || prefix.endsWith("}")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return total;
  }

  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** CPU ticks of the JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre"). */
  static long compilerTicks(long pid) throws IOException {
    long ticks = 0;
    List<Path> tasks = new ArrayList<>();
    try (var s = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      s.forEach(tasks::add);
    }
    for (Path t : tasks) {
      try {
        String stat = Files.readString(t.resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.matches("C[12] CompilerThre.*")) {
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      } catch (IOException ignored) {
        // the thread ended: compiler threads come and go with the queue
      }
    }
    return ticks;
  }

  static long childTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }

  static long postgresTicks(Path dir) throws IOException {
    long ticks = 0;
    // with the separator: target/b-f100 must not also match target/b-f1000's cluster
    String marker = dir.toAbsolutePath() + File.separator;
    List<Path> procs = new ArrayList<>();
    try (var s = Files.list(Path.of("/proc"))) {
      s.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(procs::add);
    }
    for (Path p : procs) {
      try {
        String exe = Files.readSymbolicLink(p.resolve("exe")).toString();
        if (exe.endsWith("/postgres") && exe.contains(marker)) {
          ticks += cpuTicks(Long.parseLong(p.getFileName().toString()));
          // backends and autovacuum workers that exited: counted in their parent's
          ticks += childTicks(Long.parseLong(p.getFileName().toString()));
        }
      } catch (IOException | UnsupportedOperationException ignored) {
        // process ended or not ours
      }
    }
    return ticks;
  }

  static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  static String get(String url) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static void waitForHealth(String base, Process service) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("service exited; see target/bench-probe/service.log");
      }
      try {
        if (get(base + "/health").contains("\"up\"")) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("service did not become healthy");
  }
}
