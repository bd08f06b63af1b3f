package io.statusdesk.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.statusdesk.probe.PipelineHealth;
import io.statusdesk.probe.ResultWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /health} reports beyond the database: the probe pipeline and the event loops. A stall
 * of either answers 503 naming it, and shows in {@code statusdesk_stalls}.
 */
final class Liveness {
  private final PipelineHealth pipeline;
  private final ResultWriter writer;
  private final EventLoopWatch loops;

  Liveness(
      PipelineHealth pipeline, ResultWriter writer, EventLoopWatch loops, MeterRegistry registry) {
    this.pipeline = pipeline;
    this.writer = writer;
    this.loops = loops;
    Gauge.builder("statusdesk.stalls", this, l -> l.stalls().size())
        .description(
            "Parts of this instance that have stalled (probing, result writing, event "
                + "loops); /health names them")
        .register(registry);
  }

  List<String> stalls() {
    List<String> out = new ArrayList<>(pipeline.stalls(writer.buffered()));
    out.addAll(loops.stalls());
    return out;
  }
}
