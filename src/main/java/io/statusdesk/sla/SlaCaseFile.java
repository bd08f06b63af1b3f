package io.statusdesk.sla;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusdesk.tenant.Plans;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates files in the format of sla-vectors.json ({@code cases} with month, timezone,
 * outages, maintenance, tenants; {@code expected} is ignored) into the CLI's JSON answer.
 */
public final class SlaCaseFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlaCaseFile() {}

  /** One object keyed by case name, in file order. Throws IllegalArgumentException on bad input. */
  public static ObjectNode evaluate(JsonNode file, Plans plans) {
    ObjectNode out = JSON.createObjectNode();
    JsonNode cases = file.path("cases");
    if (!cases.isArray()) {
      throw new IllegalArgumentException("the file needs a 'cases' array");
    }
    for (JsonNode c : cases) {
      String name = text(c, "name", "a case");
      try {
        out.set(name, evaluateCase(c, plans));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("case '" + name + "': " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static ObjectNode evaluateCase(JsonNode c, Plans plans) {
    ZoneId zone = ZoneId.of(c.path("timezone").asText("Asia/Seoul"));
    YearMonth month = YearMonth.parse(text(c, "month", "case"));
    Instant evaluatedAt = c.has("evaluated_at") ? instant(c.get("evaluated_at"))
        : month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    List<Outage> outages = new ArrayList<>();
    for (JsonNode o : c.path("outages")) {
      outages.add(new Outage(text(o, "id", "outage"), text(o, "component", "outage"),
          OutageClass.valueOf(text(o, "class", "outage").toUpperCase()),
          instant(o.get("start")),
          o.hasNonNull("end") ? Optional.of(instant(o.get("end"))) : Optional.empty(),
          o.hasNonNull("exclusion") ? Optional.of(o.get("exclusion").asText()) : Optional.empty()));
    }
    List<MaintenanceWindow> windows = new ArrayList<>();
    for (JsonNode m : c.path("maintenance")) {
      var components = new HashSet<String>();
      m.path("components").forEach(x -> components.add(x.asText()));
      windows.add(new MaintenanceWindow(text(m, "id", "window"), components,
          instant(m.get("start")), instant(m.get("end")), instant(m.get("created_at"))));
    }
    MonthEvaluation e = SlaEvaluator.evaluate(month, SlaPolicy.standard(zone), outages, windows,
        evaluatedAt);
    ObjectNode result = JSON.createObjectNode()
        .put("tt_minutes", e.ttMinutes())
        .put("major_minutes", e.majorMinutes())
        .put("partial_minutes", e.partialMinutes())
        .put("dt_minutes", e.downtimeMinutes())
        .put("mup", e.mup())
        .put("credit_pct", e.creditPct());
    if (c.has("tenants")) {
      ArrayNode credits = result.putArray("credits");
      for (JsonNode t : c.get("tenants")) {
        String plan = text(t, "plan", "tenant");
        long fee = plans.monthlyFee(plan, t.path("members").asLong())
            .orElseThrow(() -> new IllegalArgumentException("unknown plan '" + plan + "'"));
        boolean eligible = "current".equals(t.path("status").asText()) && fee > 0;
        credits.addObject().put("tenant", text(t, "id", "tenant")).put("fee_krw", fee)
            .put("credit_krw", e.creditKrw(fee, eligible));
      }
    }
    return result;
  }

  private static String text(JsonNode node, String field, String what) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(what + " needs a text '" + field + "'");
    }
    return v.asText();
  }

  private static Instant instant(JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException("missing time");
    }
    return OffsetDateTime.parse(node.asText()).toInstant();
  }
}
