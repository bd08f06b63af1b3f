package io.statusdesk.probe;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps raw results for {@code retention_days}: creates the coming days' partitions and drops those
 * past retention, with the agents' batch ids of the same age, every hour. A singleton: one instance
 * of a cluster runs it at a time.
 */
public final class Retention extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final long EVERY_MS = Duration.ofHours(1).toMillis();

  private final ProbeRepository repository;
  private final int retentionDays;
  private long timer;

  public Retention(ProbeRepository repository, int retentionDays) {
    this.repository = repository;
    this.retentionDays = retentionDays;
  }

  @Override
  public Future<?> start() {
    // Every instance made the partitions it needs as it started.
    timer = vertx.setPeriodic(EVERY_MS, id -> run());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void run() {
    repository
        .maintainPartitions(retentionDays)
        .onFailure(e -> log.warn("partition maintenance failed: {}", e.getMessage()));
  }
}
