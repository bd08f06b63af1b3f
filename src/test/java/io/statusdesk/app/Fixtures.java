package io.statusdesk.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Request bodies several tests send. */
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
}
