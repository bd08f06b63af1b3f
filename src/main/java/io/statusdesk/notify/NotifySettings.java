package io.statusdesk.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code notifications:}, {@code channels:} and {@code alerts:} sections of checks.yaml.
 *
 * @param channels the operators' channels by name
 * @param alerts which events go to which channel
 * @param retry how failed deliveries are retried before they are dead letters
 * @param rateLimit how many messages one person or chat channel gets at most
 * @param reminders how long before each maintenance occurrence subscribers are reminded
 */
public record NotifySettings(
    Map<String, Channel> channels,
    List<AlertRoute> alerts,
    Backoff retry,
    RateLimit rateLimit,
    List<Duration> reminders) {

  public static final List<Duration> STANDARD_REMINDERS =
      List.of(Duration.ofDays(7), Duration.ofHours(24), Duration.ofHours(1));

  public NotifySettings {
    channels = Map.copyOf(channels);
    alerts = List.copyOf(alerts);
    reminders = List.copyOf(reminders);
  }

  public static NotifySettings defaults() {
    return new NotifySettings(
        Map.of(), List.of(), Backoff.standard(), RateLimit.standard(), STANDARD_REMINDERS);
  }

  /** The channels that send email, which need STATUSDESK_SMTP_URL. */
  public List<String> emailChannels() {
    return channels.entrySet().stream()
        .filter(e -> e.getValue().destination() instanceof Destination.Email)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
