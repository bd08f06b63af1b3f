package io.statusdesk.probe;

import java.util.List;

/**
 * One probed shard or region of a component; the unit that passes or fails.
 *
 * @param componentId owning component
 * @param id cell id, unique within the component
 * @param target how to probe it
 * @param timing interval, timeout, thresholds
 * @param conditions what must hold for a probe to pass (defaults already applied)
 */
public record Cell(
    String componentId, String id, Target target, Timing timing, List<Condition> conditions) {

  /** {@code component/cell}: the name a check goes by in the API and the logs. */
  public String key() {
    return componentId + "/" + id;
  }
}
