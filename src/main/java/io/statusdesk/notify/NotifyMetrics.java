package io.statusdesk.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The {@code statusdesk_notifications_*} metrics, per channel type where it matters. */
final class NotifyMetrics {
  static final List<String> CHANNELS =
      List.of("email", "webhook", "slack", "telegram", "jandi", "teams");

  private final Map<String, Counter> enqueued = new HashMap<>();
  private final Map<String, Counter> sent = new HashMap<>();
  private final Map<String, Counter> failed = new HashMap<>();
  private final Map<String, Counter> dead = new HashMap<>();
  private final Counter events;
  private final Counter collapsed;
  private final Counter deferred;
  private final Timer latency;
  final AtomicLong pending = new AtomicLong();
  final AtomicLong deadLetters = new AtomicLong();

  NotifyMetrics(MeterRegistry registry) {
    for (String c : CHANNELS) {
      enqueued.put(
          c,
          Counter.builder("statusdesk.notifications.enqueued")
              .description("Deliveries created (event x channel x recipient), by channel")
              .tag("channel", c)
              .register(registry));
      sent.put(
          c,
          Counter.builder("statusdesk.notifications.sent")
              .description("Deliveries the receiving server accepted, by channel")
              .tag("channel", c)
              .register(registry));
      failed.put(
          c,
          Counter.builder("statusdesk.notifications.failed.attempts")
              .description("Delivery attempts that failed and will be retried or dead-lettered")
              .tag("channel", c)
              .register(registry));
      dead.put(
          c,
          Counter.builder("statusdesk.notifications.dead.lettered")
              .description("Deliveries given up on (refused, or failing past the retry window)")
              .tag("channel", c)
              .register(registry));
    }
    events =
        Counter.builder("statusdesk.notifications.events")
            .description("Outbox events fanned out to their deliveries")
            .register(registry);
    collapsed =
        Counter.builder("statusdesk.notifications.collapsed")
            .description(
                "Deliveries not sent because a newer message about the same thing to the same"
                    + " recipient overtook them while it was rate-limited")
            .register(registry);
    deferred =
        Counter.builder("statusdesk.notifications.deferred")
            .description("Deliveries held back by the per-recipient rate limit")
            .register(registry);
    latency =
        Timer.builder("statusdesk.notifications.delivery")
            .description("Time from an event to its delivery's acceptance by the receiver")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofDays(1))
            .register(registry);
    Gauge.builder("statusdesk.notifications.pending", pending, AtomicLong::get)
        .description("Deliveries waiting to be sent (due or retrying later)")
        .register(registry);
    Gauge.builder("statusdesk.notifications.dead.letters", deadLetters, AtomicLong::get)
        .description("Dead letters kept for an operator to look at or retry")
        .register(registry);
  }

  void fannedOut(int count, Map<String, Integer> made) {
    events.increment(count);
    made.forEach((channel, n) -> counter(enqueued, channel).increment(n));
  }

  void sent(String channel, Duration sinceEvent) {
    counter(sent, channel).increment();
    latency.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
  }

  void failed(String channel) {
    counter(failed, channel).increment();
  }

  void dead(String channel) {
    counter(dead, channel).increment();
  }

  void collapsed(int n) {
    collapsed.increment(n);
  }

  void deferred(int n) {
    deferred.increment(n);
  }

  private static Counter counter(Map<String, Counter> by, String channel) {
    return by.getOrDefault(channel, by.get("webhook"));
  }
}
