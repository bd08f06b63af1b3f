import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** See run.sh. Also runs as the static server itself: PageBench static FILE PORT. */
public class PageBench {
  private static final int CONNECTIONS = 64;

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("static")) {
      staticServer(Path.of(args[1]), Integer.parseInt(args[2]));
      return;
    }
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path dir = Path.of("target", "bench-page");
    Files.createDirectories(dir);
    int port = freePort();
    ProcessBuilder pb =
        new ProcessBuilder("java", "-Xmx512m", "-jar", "target/statusdesk.jar", "serve", "--demo");
    pb.environment().put("STATUSDESK_HTTP_PORT", String.valueOf(port));
    pb.environment().put("STATUSDESK_MANAGEMENT_ADDR", "off");
    pb.environment().put("STATUSDESK_DATA_DIR", dir.resolve("data").toString());
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile());
    Process service = pb.start();
    Process statics = null;
    Vertx vertx = Vertx.vertx();
    try {
      String base = "http://127.0.0.1:" + port;
      byte[] page = waitFor(base + "/");
      byte[] summary = waitFor(base + "/api/v2/summary.json");
      Path root = dir.resolve("static");
      Files.createDirectories(root);
      Path file = root.resolve("index.html");
      Files.write(file, page);
      int staticPort = freePort();
      statics =
          new ProcessBuilder(
                  "java",
                  "-Xmx256m",
                  "-cp",
                  "target/statusdesk.jar",
                  "bench/page/PageBench.java",
                  "static",
                  root.toAbsolutePath().toString(),
                  String.valueOf(staticPort))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("static.log").toFile())
              .start();
      waitFor("http://127.0.0.1:" + staticPort + "/");
      System.out.printf(
          "%d connections, %d s per target after a 5 s warm-up; / is %,d bytes, "
              + "summary.json %,d bytes%n",
          CONNECTIONS, seconds, page.length, summary.length);
      List<String[]> targets =
          List.of(
              new String[] {"static file (same size as /)", String.valueOf(staticPort), "/", ""},
              new String[] {"statusdesk /", String.valueOf(port), "/", ""},
              new String[] {
                "statusdesk /api/v2/summary.json", String.valueOf(port), "/api/v2/summary.json", ""
              },
              new String[] {
                "statusdesk / (Accept-Encoding: gzip)", String.valueOf(port), "/", "gzip"
              },
              new String[] {
                "statusdesk /api/v1/uptime/ticketing",
                String.valueOf(port),
                "/api/v1/uptime/ticketing",
                ""
              });
      double staticRate = 0;
      for (String[] t : targets) {
        load(vertx, Integer.parseInt(t[1]), t[2], t[3], 5);
        Result r = load(vertx, Integer.parseInt(t[1]), t[2], t[3], seconds);
        if (staticRate == 0) {
          staticRate = r.rate();
        }
        System.out.printf(
            "%-40s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d  (%.0f%% of static)%n",
            t[0], r.rate(), r.p50(), r.p99(), r.errors(), 100 * r.rate() / staticRate);
      }
    } finally {
      vertx.close().await();
      service.destroy();
      if (statics != null) {
        statics.destroy();
      }
      service.waitFor();
    }
  }

  record Result(double rate, double p50, double p99, long errors) {}

  /** Closed loop: every connection sends its next request as soon as the previous answered. */
  static Result load(Vertx vertx, int port, String path, String encoding, int seconds)
      throws Exception {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    AtomicBoolean running = new AtomicBoolean(true);
    long[][] latencies = new long[CONNECTIONS][];
    int[] counts = new int[CONNECTIONS];
    long[] errors = new long[1];
    List<Future<Void>> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int w = 0; w < CONNECTIONS; w++) {
      int worker = w;
      latencies[w] = new long[1 << 16];
      Promise<Void> done = Promise.promise();
      workers.add(done.future());
      vertx.runOnContext(
          v ->
              loop(client, port, path, encoding, running, latencies, counts, errors, worker, done));
    }
    vertx.setTimer(seconds * 1000L, id -> running.set(false));
    Future.all(workers).await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    client.close().await();
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int k = 0;
    for (int w = 0; w < CONNECTIONS; w++) {
      System.arraycopy(latencies[w], 0, all, k, counts[w]);
      k += counts[w];
    }
    Arrays.sort(all);
    return new Result(
        total / elapsed,
        all[(int) (total * 0.50)] / 1e6,
        all[Math.min(total - 1, (int) (total * 0.99))] / 1e6,
        errors[0]);
  }

  private static void loop(
      HttpClient client,
      int port,
      String path,
      String encoding,
      AtomicBoolean running,
      long[][] latencies,
      int[] counts,
      long[] errors,
      int worker,
      Promise<Void> done) {
    if (!running.get()) {
      done.complete();
      return;
    }
    long t0 = System.nanoTime();
    client
        .request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(
            req -> {
              if (!encoding.isEmpty()) {
                req.putHeader("Accept-Encoding", encoding);
              }
              return req.send().compose(resp -> resp.body().map(resp.statusCode()));
            })
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() == 200) {
                if (counts[worker] == latencies[worker].length) {
                  latencies[worker] = Arrays.copyOf(latencies[worker], counts[worker] * 2);
                }
                latencies[worker][counts[worker]++] = System.nanoTime() - t0;
              } else {
                errors[0]++;
              }
              loop(client, port, path, encoding, running, latencies, counts, errors, worker, done);
            });
  }

  /** The baseline: vertx-web's StaticHandler serving the directory, nothing else. */
  static void staticServer(Path root, int port) throws Exception {
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(StaticHandler.create(FileSystemAccess.ROOT, root.toString()));
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").await();
  }

  static byte[] waitFor(String url) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; i < 600; i++) {
      try {
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200) {
          return r.body();
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(url + " did not answer");
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
