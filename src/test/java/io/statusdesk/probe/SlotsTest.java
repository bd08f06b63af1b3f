package io.statusdesk.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Slots are {@code phase + k * interval} since the epoch, whoever probes; a probe starts on a grid
 * of 1/80 of its interval (at most 250 ms) so nearby slots share a wake-up.
 */
class SlotsTest {
  @ParameterizedTest(name = "now {0}, interval {1}, phase {2}: first slot {3}")
  @CsvSource({
    "0, 1000, 250, 250",
    "249, 1000, 250, 250",
    "250, 1000, 250, 1250",
    "251, 1000, 250, 1250",
    "1000000007, 30000, 12345, 1000002345",
    // an instance taking over mid-interval probes the same slots as the one before it
    "1000015000, 30000, 12345, 1000032345",
  })
  void firstSlot(long now, long interval, long phase, long slot) {
    assertThat(ProbeScheduler.firstSlot(now, interval, phase)).isEqualTo(slot);
  }

  @ParameterizedTest(name = "slot {0} of a {1} ms interval starts at {2}")
  @CsvSource({
    "1000002345, 30000, 1000002500",
    "1000002500, 30000, 1000002500",
    "1000002345, 20000, 1000002500",
    "1000002346, 1000, 1000002348",
    "1000002345, 200, 1000002346",
    "1000002345, 79, 1000002345",
  })
  void fireAt(long due, long interval, long at) {
    assertThat(ProbeScheduler.fireAt(due, interval)).isEqualTo(at);
  }
}
