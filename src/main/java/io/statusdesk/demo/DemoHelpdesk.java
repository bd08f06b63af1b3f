package io.statusdesk.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A simulated helpdesk on loopback whose endpoints fail on a fixed script, so a first run of {@code
 * serve --demo} shows outages start and end within minutes. The script repeats every {@link
 * #CYCLE}: an SNS connector cell down (partial), the whole email channel down (major), and a slow
 * customer portal (degraded, never downtime).
 */
public final class DemoHelpdesk extends VerticleBase {
  static final Duration CYCLE = Duration.ofMinutes(12);

  /** One scripted disruption: {@code path} answers {@code mode} between the two offsets. */
  record Disruption(String pathPrefix, Duration from, Duration to, Mode mode) {}

  enum Mode {
    DOWN,
    SLOW
  }

  static final List<Disruption> SCRIPT =
      List.of(
          new Disruption("/sns/line/", Duration.ofMinutes(1), Duration.ofMinutes(4), Mode.DOWN),
          new Disruption("/email/", Duration.ofMinutes(5), Duration.ofMinutes(8), Mode.DOWN),
          new Disruption("/portal/", Duration.ofMinutes(9), Duration.ofMinutes(11), Mode.SLOW));

  private final int port;
  private final Clock clock;
  private final long startedAt;
  private HttpServer server;

  public DemoHelpdesk(int port, Clock clock) {
    this.port = port;
    this.clock = clock;
    this.startedAt = clock.millis();
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer();
    return server.requestHandler(this::answer).listen(port, "127.0.0.1");
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void answer(HttpServerRequest request) {
    Duration into = Duration.ofMillis((clock.millis() - startedAt) % CYCLE.toMillis());
    Mode mode = null;
    for (Disruption d : SCRIPT) {
      if (request.path().startsWith(d.pathPrefix())
          && into.compareTo(d.from()) >= 0
          && into.compareTo(d.to()) < 0) {
        mode = d.mode();
      }
    }
    if (mode == Mode.DOWN) {
      request.response().setStatusCode(503).end(new JsonObject().put("status", "DOWN").encode());
    } else if (mode == Mode.SLOW) {
      vertx.setTimer(2_500, id -> up(request));
    } else {
      up(request);
    }
  }

  private static void up(HttpServerRequest request) {
    request
        .response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "UP").encode());
  }
}
