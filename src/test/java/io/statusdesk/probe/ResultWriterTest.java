package io.statusdesk.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statusdesk.notify.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How long results wait for their batch, and the gap before a resumed cell's first result: dated
 * from the latest sample stored when that result is written, not when the cell was taken over.
 */
@ExtendWith(VertxExtension.class)
class ResultWriterTest {
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(20);

  /** Every batch written, as the database would have received it. */
  private final List<MonitoringGap> gaps = new CopyOnWriteArrayList<>();

  private final List<ProbeResult> results = new CopyOnWriteArrayList<>();

  private static Cell cell(String interval) {
    return new Cell(
        "c",
        "k" + interval,
        new Target.Http(URI.create("http://127.0.0.1/"), "GET", Map.of(), null, false),
        new Timing(Durations.parse(interval), Duration.ofSeconds(1), 1, 1, null),
        List.of());
  }

  @ParameterizedTest(name = "intervals {0}: results wait up to {1}")
  @CsvSource({
    "500ms, PT1S",
    "4s, PT1S",
    "8s, PT2S",
    "20s, PT5S",
    "60s, PT5S",
    "60s 8s 20s, PT2S",
  })
  void resultsWaitAQuarterOfTheShortestIntervalFromOneToFiveSeconds(
      String intervals, Duration wait) {
    List<Cell> cells = Arrays.stream(intervals.split(" ")).map(ResultWriterTest::cell).toList();
    assertThat(ResultWriter.flushEvery(cells)).isEqualTo(wait);
  }

  private ResultWriter writer(Vertx vertx) {
    ResultWriter writer =
        new ResultWriter(
            this::write,
            Duration.ofSeconds(1),
            1_000,
            // real time: a failed batch is retried after a real back-off
            Clock.systemUTC(),
            new SimpleMeterRegistry(),
            new PipelineHealth(List.of(), Clock.fixed(T0, ZoneOffset.UTC)));
    vertx.deployVerticle(writer).await();
    return writer;
  }

  private Future<Void> write(
      List<ProbeResult> batch,
      List<MonitoringGap> batchGaps,
      List<LocationHealth> health,
      List<Event> events) {
    results.addAll(batch);
    gaps.addAll(batchGaps);
    return Future.succeededFuture();
  }

  private static ProbeResult result(Instant at) {
    return new ProbeResult(7, "central", at, Outcome.UP, 3, null);
  }

  @Test
  void aPreviousOwnersResultStoredAfterTheTakeOverShortensTheGap(Vertx vertx) {
    ResultWriter writer = writer(vertx);
    // At the take-over the last stored sample was T0; the previous owner, still running, stored
    // its result of T0 + 20 s afterwards. The new owner's first slot is T0 + 40 s: no slot missed.
    List<List<Integer>> asked = new ArrayList<>();
    writer.resumeAfter(
        Map.of(7, T0),
        Map.of(7, INTERVAL),
        ids -> {
          asked.add(List.copyOf(ids));
          return Future.succeededFuture(Map.of(7, T0.plus(INTERVAL)));
        });
    writer.offer(result(T0.plus(INTERVAL.multipliedBy(2))));
    await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1);
    assertThat(asked).containsExactly(List.of(7));
    assertThat(gaps).isEmpty();
  }

  @Test
  void aHoleNobodyProbedIsAGapFromTheLastStoredSample(Vertx vertx) {
    ResultWriter writer = writer(vertx);
    writer.resumeAfter(
        Map.of(7, T0), Map.of(7, INTERVAL), ids -> Future.succeededFuture(Map.of(7, T0)));
    Instant first = T0.plus(INTERVAL.multipliedBy(3));
    writer.offer(result(first));
    await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1 && gaps.size() == 1);
    assertThat(gaps.get(0)).isEqualTo(new MonitoringGap(7, "central", T0, first, "monitor_down"));
  }

  @Test
  void aFailedLookIsTriedAgainBeforeTheResultIsWritten(Vertx vertx) {
    ResultWriter writer = writer(vertx);
    List<Boolean> answers = new CopyOnWriteArrayList<>(List.of(false, true));
    writer.resumeAfter(
        Map.of(7, T0),
        Map.of(7, INTERVAL),
        ids ->
            answers.remove(0)
                ? Future.succeededFuture(Map.of())
                : Future.failedFuture("database away"));
    Instant first = T0.plus(INTERVAL.multipliedBy(3));
    writer.offer(result(first));
    await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 1 && gaps.size() == 1);
    assertThat(gaps.get(0).startedAt()).isEqualTo(T0);
  }
}
