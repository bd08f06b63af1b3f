package io.statusdesk.probe;

import java.time.Instant;

/** Where the schedulers hand what each probe found; called from any probing event loop. */
public interface ResultSink {
  /** A probe's verdict, to be stored. */
  void offer(ProbeResult result);

  /** A span nobody probed a cell here, found after the fact, to be recorded as a gap. */
  void gap(MonitoringGap gap);

  /** A TLS probe of {@code cell} at {@code seenAt} saw a leaf certificate expiring then. */
  void certificate(Cell cell, Instant notAfter, Instant seenAt);
}
