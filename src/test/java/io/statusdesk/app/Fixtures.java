package io.statusdesk.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Request bodies several tests send, and queries several tests check with. */
public final class Fixtures {
  private Fixtures() {}

  /**
   * An SLA version that reduces benefits (credits only below 98 %), without its {@code
   * effective_from}, which each test chooses.
   */
  public static JsonObject reducingSla(String text, String textKo) {
    return new JsonObject()
        .put("timezone", "Asia/Seoul")
        .put("partial_weight", "0.3")
        .put(
            "tiers",
            new JsonArray()
                .add(new JsonObject().put("min_mup", "98.0").put("credit_pct", 0))
                .add(new JsonObject().put("min_mup", "0").put("credit_pct", 10)))
        .put("text", text)
        .put("text_ko", textKo);
  }

  /**
   * Counts the spans between consecutive samples of a cell from a location longer than {@code
   * longest} (a PostgreSQL interval) that no recorded monitoring gap covers: holes.
   */
  public static String unrecordedHoles(String longest) {
    return """
    SELECT count(*) FROM (
      SELECT check_id, location, probed_at,
        lag(probed_at) OVER (PARTITION BY check_id, location ORDER BY probed_at) AS prev
      FROM probe_results) r
    WHERE probed_at - prev > interval '%s'
      AND NOT EXISTS (SELECT 1 FROM monitoring_gaps g WHERE g.check_id = r.check_id
        AND g.location = r.location AND g.started_at <= r.prev
        AND g.ended_at >= r.probed_at)\
    """
        .formatted(longest);
  }
}
