package io.statusdesk.probe;

import io.micrometer.core.instrument.Counter;
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
  final AtomicInteger inFlight = new AtomicInteger();

  public ProbeMetrics(MeterRegistry registry) {
    for (Outcome o : Outcome.values()) {
      probes.put(o, Counter.builder("statusdesk.probes").description("Probes run, by outcome")
          .tag("outcome", o.dbValue()).register(registry));
    }
    latency = Timer.builder("statusdesk.probe.latency").description("Time to a probe's answer")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    lag = Timer.builder("statusdesk.schedule.lag")
        .description("How late probes start after their due time")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
    skipped = Counter.builder("statusdesk.probes.skipped")
        .description("Probe slots skipped because the previous probe or the queue ran late")
        .register(registry);
    registry.gauge("statusdesk.probes.in_flight", inFlight);
  }

  void probed(Outcome outcome, long latencyNanos) {
    probes.get(outcome).increment();
    latency.record(Duration.ofNanos(latencyNanos));
  }

  void lag(long millis) {
    lag.record(Duration.ofMillis(Math.max(0, millis)));
  }

  void skipped(long slots) {
    skipped.increment(slots);
  }
}
