import io.statusdesk.store.Database;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * See run.sh. Three serve instances share the checks; the benchmark runs the PostgreSQL and the
 * target, samples each instance's metrics and CPU before and after a window, and loads one
 * instance's page for the last 20 s of it.
 */
public class ScaleBench {
  private static final int INSTANCES = 3;
  private static final int INTERVAL_SECONDS = 30;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public static void main(String[] args) throws Exception {
    int checks = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
    Path dir = Path.of("target", "bench-scale").toAbsolutePath();
    ProbeBench.fresh(dir);
    Vertx vertx = Vertx.vertx();
    int target = ProbeBench.target(vertx);
    StringBuilder yaml =
        new StringBuilder(
            """
            max_in_flight: 512
            defaults: {interval: %ds, timeout: 5s, failure_threshold: 3, success_threshold: 2}
            components:
            """
                .formatted(INTERVAL_SECONDS));
    for (int c = 0; c * 100 < checks; c++) {
      yaml.append("  - id: c").append(c).append("\n    impact: partial\n    cells:\n");
      for (int i = 0; i < 100 && c * 100 + i < checks; i++) {
        yaml.append("      - {id: k")
            .append(i)
            .append(", url: \"http://127.0.0.1:")
            .append(target)
            .append("/c")
            .append(c)
            .append("/k")
            .append(i)
            .append("\"}\n");
      }
    }
    Path checksFile = dir.resolve("checks.yaml");
    Files.writeString(checksFile, yaml);

    List<Process> services = new ArrayList<>();
    List<String> managementUrls = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try (Database db = Database.embedded(dir.resolve("data"), Database.Durability.DURABLE)) {
      db.migrate();
      for (int i = 0; i < INSTANCES; i++) {
        int port = freePort();
        int management = freePort();
        ProcessBuilder pb =
            new ProcessBuilder(
                "java",
                "-Xmx1g",
                "-jar",
                "target/statusdesk.jar",
                "serve",
                "--checks",
                checksFile.toString());
        pb.environment().put("STATUSDESK_DB_URL", db.url());
        pb.environment().put("STATUSDESK_HTTP_PORT", String.valueOf(port));
        pb.environment().put("STATUSDESK_MANAGEMENT_ADDR", "127.0.0.1:" + management);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("service-" + i + ".log").toFile());
        services.add(pb.start());
        managementUrls.add("http://127.0.0.1:" + management);
        ports.add(port);
      }
      for (int i = 0; i < INSTANCES; i++) {
        waitFor(managementUrls.get(i) + "/ready", services.get(i));
      }
      System.out.printf(
          "%d instances, %d checks every %d s, warming up 30 s%n",
          INSTANCES, checks, INTERVAL_SECONDS);
      Thread.sleep(30_000);

      List<ProbeBench.Sample> before = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        before.add(ProbeBench.sample(managementUrls.get(i), services.get(i).pid(), dir));
      }
      long pgBefore = ProbeBench.postgresTicks(dir);
      Thread.sleep(Math.max(0, seconds - 20) * 1000L);
      double pageRate = loadPage("http://127.0.0.1:" + ports.get(0) + "/", Duration.ofSeconds(20));
      List<ProbeBench.Sample> after = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        after.add(ProbeBench.sample(managementUrls.get(i), services.get(i).pid(), dir));
      }
      long pgAfter = ProbeBench.postgresTicks(dir);

      double elapsed = (after.get(0).nanos() - before.get(0).nanos()) / 1e9;
      double probes = 0;
      TreeMap<Double, Double> lagBefore = new TreeMap<>();
      TreeMap<Double, Double> lagAfter = new TreeMap<>();
      System.out.println();
      System.out.println("| instance | probes/s | CPU s per 1000 probes | CPU use |");
      System.out.println("|---|---|---|---|");
      for (int i = 0; i < INSTANCES; i++) {
        ProbeBench.Sample a = before.get(i);
        ProbeBench.Sample b = after.get(i);
        double n = b.probes() - a.probes();
        double cpu = (b.cpuTicks() - a.cpuTicks()) / 100.0;
        probes += n;
        a.lag().forEach((le, count) -> lagBefore.merge(le, count, Double::sum));
        b.lag().forEach((le, count) -> lagAfter.merge(le, count, Double::sum));
        System.out.printf(
            "| %d | %.1f | %.3f | %.0f%% of a core |%n",
            i + 1, n / elapsed, cpu / (n / 1000), 100 * cpu / elapsed);
      }
      double pgCpu = (pgAfter - pgBefore) / 100.0;
      System.out.printf(
          "| PostgreSQL | - | %.3f | %.0f%% of a core |%n",
          pgCpu / (probes / 1000), 100 * pgCpu / elapsed);
      System.out.println();
      System.out.printf("measured over          %.0f s%n", elapsed);
      System.out.printf("probes/s scheduled     %.0f%n", checks / (double) INTERVAL_SECONDS);
      System.out.printf("probes/s achieved      %.1f%n", probes / elapsed);
      System.out.printf(
          "schedule lag p99       %s%n", ProbeBench.quantile(lagBefore, lagAfter, 0.99));
      System.out.printf(
          "page / of instance 1   %.0f requests/s (16 connections, last 20 s of the window)%n",
          pageRate);
    } finally {
      services.forEach(Process::destroy);
      for (Process p : services) {
        p.waitFor();
      }
      vertx.close();
    }
  }

  /** Requests/s of {@code url} from 16 looping clients for {@code d}. */
  static double loadPage(String url, Duration d) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Thread t =
          new Thread(
              () -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
                while (!stop.get()) {
                  try {
                    if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
                        == 200) {
                      done.incrementAndGet();
                    }
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    long start = System.nanoTime();
    Thread.sleep(d.toMillis());
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void waitFor(String url, Process service) throws Exception {
    long deadline = System.currentTimeMillis() + 300_000;
    while (System.currentTimeMillis() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("an instance exited; see target/bench-scale/*.log");
      }
      try {
        if (ProbeBench.get(url).contains("\"ready\"")) {
          return;
        }
      } catch (Exception notYet) {
        // starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(url + " did not become ready");
  }
}
