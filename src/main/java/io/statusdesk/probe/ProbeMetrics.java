package io.statusdesk.probe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The probe pipeline's meters, registered once and shared by every scheduler. */
public final class ProbeMetrics {
  private final Map<Outcome, Counter> probes = new EnumMap<>(Outcome.class);
  private final Timer latency;
  private final Timer lag;
  private final Counter skipped;
  private final Counter discarded;
  final AtomicInteger inFlight = new AtomicInteger();
  final PipelineHealth health;

  public ProbeMetrics(MeterRegistry registry, PipelineHealth health) {
    this.health = health;
    for (Outcome o : Outcome.values()) {
      probes.put(
          o,
          Counter.builder("statusdesk.probes")
              .description("Probes run, by outcome")
              .tag("outcome", o.dbValue())
              .register(registry));
    }
    latency =
        Timer.builder("statusdesk.probe.latency")
            .description("Time to a probe's answer")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    lag =
        Timer.builder("statusdesk.schedule.lag")
            .description("How late probes start after their due time")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    skipped =
        Counter.builder("statusdesk.probes.skipped")
            .description("Probe slots skipped because the previous probe or the queue ran late")
            .register(registry);
    Gauge.builder("statusdesk.probes.in_flight", inFlight, AtomicInteger::get)
        .description("Probes running now")
        .register(registry);
    discarded =
        Counter.builder("statusdesk.probes.discarded")
            .description(
                "Probes whose answer came far past their timeout because this instance "
                    + "stalled (a blocked event loop): their verdict says nothing of the target")
            .register(registry);
    Gauge.builder("statusdesk.last.probe.age", health, h -> h.sinceLastProbe().toMillis() / 1e3)
        .description("Seconds since a probe last completed")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("statusdesk.last.write.age", health, h -> h.sinceLastWrite().toMillis() / 1e3)
        .description("Seconds since results last reached the database (or there were none)")
        .baseUnit("seconds")
        .register(registry);
  }

  void discarded() {
    discarded.increment();
  }

  void probed(Outcome outcome, long latencyNanos) {
    health.probed();
    probes.get(outcome).increment();
    latency.record(Duration.ofNanos(latencyNanos));
  }

  void lag(long millis) {
    lag.record(Duration.ofMillis(Math.max(0, millis)));
  }

  void skipped(long slots) {
    skipped.increment((double) slots);
  }
}
