package io.statusdesk.probe;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-style durations as Gatus users write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code
 * 1h30m}, {@code 336h}, plus {@code d} for days. Units must appear largest first.
 */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text} or throws {@link IllegalArgumentException} with a readable message. */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (examples: 500ms, 30s, 5m, 1h30m, 336h)");
    }
    Duration total = Duration.ZERO;
    int lastRank = Integer.MAX_VALUE;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      int rank = rank(m.group(2));
      if (rank >= lastRank) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a duration: write units largest first, each once");
      }
      lastRank = rank;
      long amount = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
              });
    }
    return total;
  }

  public static boolean looksLikeDuration(String text) {
    return text != null && WHOLE.matcher(text).matches();
  }

  /** The shortest Go-style spelling, for messages and the API ({@code 90000ms -> 1m30s}). */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long ms = d.toMillis();
    long[] sizes = {3_600_000, 60_000, 1_000, 1};
    String[] units = {"h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms >= sizes[i]) {
        out.append(ms / sizes[i]).append(units[i]);
        ms %= sizes[i];
      }
    }
    return out.toString();
  }

  private static int rank(String unit) {
    return switch (unit) {
      case "ms" -> 0;
      case "s" -> 1;
      case "m" -> 2;
      case "h" -> 3;
      default -> 4;
    };
  }
}
