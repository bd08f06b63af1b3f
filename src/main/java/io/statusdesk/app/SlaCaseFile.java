package io.statusdesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusdesk.ledger.Settlement;
import io.statusdesk.sla.ContractMonth;
import io.statusdesk.sla.MaintenanceWindow;
import io.statusdesk.sla.MonthEvaluation;
import io.statusdesk.sla.NoData;
import io.statusdesk.sla.Outage;
import io.statusdesk.sla.OutageClass;
import io.statusdesk.sla.SlaEvaluator;
import io.statusdesk.sla.SlaPolicy;
import io.statusdesk.tenant.PriceList;
import io.statusdesk.tenant.Tenant;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code sla evaluate} command's reading of case files (the format of
 * src/test/resources/sla-vectors.json, whose {@code about} describes every field; each case's
 * {@code expected} is ignored) into JSON answers, through the same evaluator as the service.
 */
public final class SlaCaseFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlaCaseFile() {}

  /** One object keyed by case name, in file order. Throws IllegalArgumentException on bad input. */
  public static ObjectNode evaluate(JsonNode file, PriceList prices) {
    ObjectNode out = JSON.createObjectNode();
    JsonNode cases = file.path("cases");
    if (!cases.isArray()) {
      throw new IllegalArgumentException("the file needs a 'cases' array");
    }
    for (JsonNode c : cases) {
      String name = text(c, "name", "a case");
      try {
        out.set(name, evaluateCase(c, prices));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("case '" + name + "': " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static ObjectNode evaluateCase(JsonNode c, PriceList prices) {
    ZoneId zone = ZoneId.of(c.path("timezone").asText("Asia/Seoul"));
    YearMonth month = YearMonth.parse(text(c, "month", "case"));
    Instant evaluatedAt =
        c.has("evaluated_at")
            ? instant(c.get("evaluated_at"))
            : new ContractMonth(month, zone).end();
    List<Outage> outages = new ArrayList<>();
    for (JsonNode o : c.path("outages")) {
      String source = o.path("source").asText("probe");
      if (!source.equals("probe") && !source.equals("manual")) {
        throw new IllegalArgumentException("outage source must be probe or manual");
      }
      outages.add(
          new Outage(
              text(o, "id", "outage"),
              text(o, "component", "outage"),
              OutageClass.valueOf(text(o, "class", "outage").toUpperCase(Locale.ROOT)),
              instant(o.get("start")),
              o.hasNonNull("end") ? Optional.of(instant(o.get("end"))) : Optional.empty(),
              o.hasNonNull("exclusion")
                  ? Optional.of(o.get("exclusion").asText())
                  : Optional.empty(),
              source.equals("probe")));
    }
    List<MaintenanceWindow> windows = new ArrayList<>();
    for (JsonNode m : c.path("maintenance")) {
      var components = new HashSet<String>();
      m.path("components").forEach(x -> components.add(x.asText()));
      String status = m.path("status").asText("scheduled");
      if (!status.equals("scheduled") && !status.equals("cancelled")) {
        throw new IllegalArgumentException("maintenance status must be scheduled or cancelled");
      }
      if (status.equals("cancelled") != m.hasNonNull("cancelled_at")) {
        throw new IllegalArgumentException("a cancelled window has cancelled_at, and only it");
      }
      windows.add(
          new MaintenanceWindow(
              text(m, "id", "window"),
              components,
              instant(m.get("start")),
              instant(m.get("end")),
              instant(m.get("created_at")),
              m.hasNonNull("cancelled_at")
                  ? Optional.of(instant(m.get("cancelled_at")))
                  : Optional.empty()));
    }
    List<NoData> noData = new ArrayList<>();
    for (JsonNode n : c.path("no_data")) {
      noData.add(
          new NoData(
              n.path("component").asText(NoData.ALL),
              instant(n.get("start")),
              instant(n.get("end"))));
    }
    MonthEvaluation e =
        SlaEvaluator.evaluate(
            month, SlaPolicy.standard(zone), outages, windows, noData, evaluatedAt);
    ObjectNode result =
        JSON.createObjectNode()
            .put("tt_minutes", e.ttMinutes())
            .put("major_minutes", e.majorMinutes())
            .put("partial_minutes", e.partialMinutes())
            .put("dt_minutes", e.downtimeMinutes())
            .put("mup", e.mup())
            .put("credit_pct", e.creditPct());
    if (c.has("tenants")) {
      ArrayNode credits = result.putArray("credits");
      for (JsonNode t : c.get("tenants")) {
        Tenant tenant =
            Tenant.of(
                text(t, "id", "tenant"),
                text(t, "id", "tenant"),
                text(t, "plan", "tenant"),
                t.path("members").asLong(),
                t.path("status").asText(),
                List.of());
        if (prices.at(tenant.plan(), evaluatedAt).isEmpty()) {
          throw new IllegalArgumentException("unknown plan '" + tenant.plan() + "'");
        }
        Settlement.Billed billed =
            new Settlement.Billed(tenant, prices.feeKrw(tenant, evaluatedAt));
        credits
            .addObject()
            .put("tenant", tenant.id())
            .put("fee_krw", billed.feeKrw())
            .put("credit_krw", Settlement.due(billed, e.creditPct()));
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
