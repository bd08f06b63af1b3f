package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.Await;
import io.statusdesk.MutableClock;
import io.statusdesk.probe.Cell;
import io.statusdesk.probe.PipelineHealth;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A monitor that stopped moving says so: stalled probing, result writing or event loops. */
class LivenessTest {

  private static List<Cell> cells(String interval, String timeout) throws Exception {
    ChecksConfig config =
        ChecksFile.parse(
            "t.yaml",
            """
            defaults: {interval: %s, timeout: %s}
            components:
              - {id: ticketing, impact: major, url: "http://127.0.0.1:1/health"}
            """
                .formatted(interval, timeout),
            Map.<String, String>of()::get);
    return config.probes().cells().toList();
  }

  /** 10 s checks with a 5 s timeout: probing stalls after 35 s, writing after 30 s. */
  @ParameterizedTest(name = "{0} s idle, {1} buffered -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10 | 0   | ",
        "35 | 0   | ",
        "36 | 0   | probing: no probe completed for 36 s",
        "31 | 12  | result writing: nothing written for 31 s, 12 results buffered",
        "29 | 12  | ",
      })
  void stallsAreNamedOnlyPastThreeIntervals(long idle, int buffered, String stall)
      throws Exception {
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-30T00:00:00Z"));
    PipelineHealth health = new PipelineHealth(cells("10s", "5s"), clock);
    clock.advance(Duration.ofSeconds(idle));
    List<String> stalls = health.stalls(buffered);
    if (stall == null) {
      assertThat(stalls).isEmpty();
    } else {
      assertThat(stalls).anyMatch(s -> s.equals(stall));
    }
  }

  @Test
  void anInstanceWithoutChecksNeverStallsProbing() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-30T00:00:00Z"));
    PipelineHealth health = new PipelineHealth(List.of(), clock);
    clock.advance(Duration.ofHours(1));
    assertThat(health.stalls(0)).isEmpty();
  }

  /** A task that never returns wedges its event loop; the watch names that loop. */
  @Test
  void aBlockedEventLoopIsNamed() throws Exception {
    Vertx vertx = Vertx.vertx();
    CountDownLatch release = new CountDownLatch(1);
    try {
      EventLoopWatch watch = new EventLoopWatch(Clock.systemUTC());
      Await.get(watch.deploy(vertx));
      AtomicReference<String> wedged = new AtomicReference<>();
      Await.get(
          vertx.deployVerticle(
              new VerticleBase() {
                @Override
                public Future<?> start() {
                  vertx.setTimer(
                      10,
                      id -> {
                        wedged.set(Thread.currentThread().getName());
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      });
                  return Future.succeededFuture();
                }
              }));
      assertThat(watch.stalls()).isEmpty();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  wedged.get() != null
                      && watch.stalls().stream()
                          .anyMatch(s -> s.startsWith("event loop " + wedged.get())));
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> watch.stalls().isEmpty());
    } finally {
      release.countDown();
      vertx.close();
    }
  }
}
