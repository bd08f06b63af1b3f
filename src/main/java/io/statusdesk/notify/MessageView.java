package io.statusdesk.notify;

import io.statusdesk.Localized;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a message about an event says, whatever carries it (email, chat): a subject, a heading with
 * a status badge, an introduction, facts, a timeline and a link. Built once per event and language
 * from the payload its writer recorded; the carriers only lay it out.
 *
 * @param tone how the badge is coloured: {@code bad}, {@code warn}, {@code ok} or {@code info}
 * @param facts label and value pairs
 * @param timeline when, label and text of each step, newest first
 */
record MessageView(
    String subject,
    String title,
    String badge,
    String tone,
    String intro,
    List<List<String>> facts,
    List<List<String>> timeline,
    List<String> paragraphs,
    String linkLabel,
    String linkUrl) {

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ENGLISH);

  static MessageView of(EventKind kind, JsonObject data, String lang, MessageContext context) {
    Builder b = new Builder(MailWords.of(lang), lang, context);
    return switch (kind) {
      case INCIDENT_OPENED, INCIDENT_UPDATED, INCIDENT_RESOLVED -> b.incident(kind, data);
      case COMPONENT_STATUS_CHANGED -> b.component(data);
      case MAINTENANCE_SCHEDULED,
          MAINTENANCE_CHANGED,
          MAINTENANCE_CANCELLED,
          MAINTENANCE_REMINDER,
          MAINTENANCE_STARTED,
          MAINTENANCE_ENDED ->
          b.maintenance(kind, data);
      case SLA_PUBLISHED -> b.sla(data.getJsonObject("sla_version"));
      case STATEMENT_ISSUED -> b.statement(data.getJsonObject("statement"));
      case MONTH_CLOSED -> b.monthClosed(data.getJsonObject("month_close"));
      case MONITORING_GAP, BUFFER_OVERFLOW -> b.gap(data.getJsonObject("gap"));
      case CERTIFICATE_EXPIRING -> b.certificate(data.getJsonObject("certificate"));
      case SUBSCRIPTION_CONFIRM -> b.subscription(true);
      case SUBSCRIPTION_EXISTING -> b.subscription(false);
    };
  }

  /** The message as plain lines: what chat services show. */
  String text() {
    StringBuilder out = new StringBuilder();
    if (badge != null) {
      out.append(badge).append('\n');
    }
    if (intro != null) {
      out.append(intro).append('\n');
    }
    facts.forEach(f -> out.append(f.get(0)).append(": ").append(f.get(1)).append('\n'));
    timeline.stream()
        .limit(1)
        .forEach(
            t -> out.append(t.get(1)).append(" (").append(t.get(0)).append("): ").append(t.get(2)));
    if (!timeline.isEmpty()) {
      out.append('\n');
    }
    paragraphs.forEach(p -> out.append(p).append('\n'));
    return out.toString().strip();
  }

  /** Builds views in one language. */
  private static final class Builder {
    private final MailWords w;
    private final String lang;
    private final MessageContext context;

    Builder(MailWords w, String lang, MessageContext context) {
      this.w = w;
      this.lang = lang;
      this.context = context;
    }

    private String when(String iso) {
      return iso == null ? "" : WHEN.format(Instant.parse(iso).atZone(context.zone()));
    }

    private String componentName(String id) {
      Localized name = context.components().get(id);
      return name == null ? id : name.in(lang);
    }

    private String names(JsonArray components) {
      List<String> names = new ArrayList<>();
      components.forEach(c -> names.add(((JsonObject) c).getString("name")));
      return names.isEmpty() ? w.get("all_components") : String.join(", ", names);
    }

    private String span(Duration d) {
      if (d.toDays() >= 2) {
        return w.get("duration_days", d.toDays());
      }
      if (d.toHours() >= 1) {
        return w.get("duration_hours", d.toHours());
      }
      return w.get("duration_minutes", Math.max(1, d.toMinutes()));
    }

    private static String tone(String status) {
      return switch (status) {
        case "major_outage", "critical" -> "bad";
        case "partial_outage", "degraded_performance", "major", "minor" -> "warn";
        case "operational", "resolved", "completed", "none" -> "ok";
        default -> "info";
      };
    }

    MessageView incident(EventKind kind, JsonObject data) {
      JsonObject i = data.getJsonObject("incident");
      String status = w.get("incident_" + i.getString("status"));
      String name = i.getString("name");
      List<List<String>> timeline = new ArrayList<>();
      for (Object o : i.getJsonArray("incident_updates", new JsonArray())) {
        JsonObject u = (JsonObject) o;
        timeline.add(
            List.of(
                when(u.getString("created_at")),
                w.get("incident_" + u.getString("status")),
                u.getString("body")));
      }
      String subjectKey =
          switch (kind) {
            case INCIDENT_OPENED -> "subject_incident_opened";
            case INCIDENT_RESOLVED -> "subject_incident_resolved";
            default -> "subject_incident_updated";
          };
      return new MessageView(
          w.get(subjectKey, status, name),
          name,
          status,
          kind == EventKind.INCIDENT_RESOLVED ? "ok" : tone(i.getString("impact")),
          null,
          List.of(
              List.of(w.get("label_components"), names(i.getJsonArray("components"))),
              List.of(w.get("label_impact"), w.get("impact_" + i.getString("impact"))),
              List.of(w.get("label_started"), when(i.getString("started_at")))),
          timeline,
          List.of(),
          w.get("view_incident"),
          i.getString("shortlink"));
    }

    MessageView component(JsonObject data) {
      JsonObject update = data.getJsonObject("component_update");
      String name = data.getJsonObject("component").getString("name");
      String now = w.get("state_" + update.getString("new_status"));
      String was = update.getString("old_status");
      List<List<String>> facts = new ArrayList<>();
      if (was != null) {
        facts.add(List.of(w.get("label_from"), w.get("state_" + was)));
      }
      facts.add(List.of(w.get("label_to"), now));
      facts.add(List.of(w.get("label_when"), when(update.getString("created_at"))));
      return new MessageView(
          w.get("subject_component", now, name),
          name,
          now,
          tone(update.getString("new_status")),
          null,
          facts,
          List.of(),
          List.of(),
          w.get("view_page"),
          context.publicUrl() + "/");
    }

    MessageView maintenance(EventKind kind, JsonObject data) {
      JsonObject m = data.getJsonObject("scheduled_maintenance");
      String name = m.getString("name");
      Instant start = Instant.parse(m.getString("scheduled_for"));
      Instant announced = Instant.parse(data.getString("announced_at"));
      boolean cancelled = data.getBoolean("cancelled", false);
      String badge =
          cancelled
              ? w.get("maintenance_cancelled")
              : w.get("maintenance_" + m.getString("status"));
      String subject =
          switch (kind) {
            case MAINTENANCE_SCHEDULED -> w.get("subject_maintenance_scheduled", name);
            case MAINTENANCE_CHANGED -> w.get("subject_maintenance_changed", name);
            case MAINTENANCE_CANCELLED -> w.get("subject_maintenance_cancelled", name);
            case MAINTENANCE_REMINDER ->
                w.get(
                    "subject_maintenance_reminder",
                    name,
                    span(Duration.ofSeconds(data.getLong("reminder_before_seconds"))));
            case MAINTENANCE_STARTED -> w.get("subject_maintenance_started", name);
            default -> w.get("subject_maintenance_ended", name);
          };
      String intro =
          switch (kind) {
            case MAINTENANCE_CHANGED -> w.get("changed_now");
            case MAINTENANCE_CANCELLED -> w.get("cancelled_now");
            case MAINTENANCE_REMINDER ->
                w.get(
                    "reminder_in",
                    span(Duration.ofSeconds(data.getLong("reminder_before_seconds"))));
            case MAINTENANCE_STARTED -> w.get("started_now");
            case MAINTENANCE_ENDED -> w.get("ended_now");
            default -> null;
          };
      List<List<String>> facts = new ArrayList<>();
      facts.add(
          List.of(
              w.get("label_when"),
              when(m.getString("scheduled_for")) + " – " + when(m.getString("scheduled_until"))));
      facts.add(List.of(w.get("label_components"), names(m.getJsonArray("components"))));
      facts.add(List.of(w.get("label_announced"), when(data.getString("announced_at"))));
      if (data.getString("rrule") != null) {
        facts.add(List.of(w.get("label_repeats"), data.getString("rrule")));
        List<String> next = new ArrayList<>();
        data.getJsonArray("next_occurrences", new JsonArray())
            .forEach(o -> next.add(when(((JsonObject) o).getString("scheduled_for"))));
        if (!next.isEmpty()) {
          facts.add(List.of(w.get("label_next"), String.join(", ", next)));
        }
      }
      List<String> paragraphs = new ArrayList<>();
      String description =
          m.getJsonArray("incident_updates", new JsonArray()).isEmpty()
              ? null
              : m.getJsonArray("incident_updates").getJsonObject(0).getString("body");
      if (description != null && !description.isBlank()) {
        paragraphs.add(description);
      }
      if (data.getBoolean("short_notice", false)) {
        // a late announcement says so, every time it is told
        paragraphs.add(w.get("short_notice", span(Duration.between(announced, start))));
      }
      return new MessageView(
          subject,
          name,
          badge,
          "info",
          intro,
          facts,
          List.of(),
          paragraphs,
          w.get("view_maintenance"),
          m.getString("shortlink"));
    }

    MessageView sla(JsonObject v) {
      String effective = when(v.getString("effective_from"));
      List<List<String>> facts = new ArrayList<>();
      facts.add(List.of(w.get("label_effective"), effective));
      facts.add(
          List.of(w.get("label_notice"), w.get("duration_days", v.getLong("notice_days", 0L))));
      for (Object o : v.getJsonArray("tiers", new JsonArray())) {
        JsonObject t = (JsonObject) o;
        facts.add(
            List.of(
                w.get("label_credit_tier"),
                "≥ " + t.getString("min_mup") + "% → " + t.getInteger("credit_pct") + "%"));
      }
      return new MessageView(
          w.get("subject_sla", effective),
          w.get("subject_sla", effective),
          null,
          v.getBoolean("reduces_benefits", false) ? "warn" : "info",
          v.getBoolean("reduces_benefits", false)
              ? w.get("sla_reduces", v.getLong("notice_days", 0L))
              : w.get("sla_keeps"),
          facts,
          List.of(),
          List.of(v.getString("text", "")),
          w.get("view_sla"),
          context.publicUrl() + "/sla");
    }

    MessageView statement(JsonObject s) {
      String month = s.getString("month");
      List<List<String>> facts = new ArrayList<>();
      facts.add(List.of(w.get("label_mup"), s.getString("mup") + "%"));
      facts.add(List.of(w.get("label_downtime"), minutes(s.getString("dt_minutes"))));
      facts.add(List.of(w.get("label_credit_tier"), s.getInteger("credit_pct") + "%"));
      facts.add(List.of(w.get("label_fee"), krw(s.getLong("fee_krw"))));
      facts.add(List.of(w.get("label_credit"), krw(s.getLong("credit_krw"))));
      facts.add(List.of(w.get("label_balance"), krw(s.getLong("balance_krw"))));
      facts.add(List.of(w.get("label_revision"), String.valueOf(s.getInteger("revision"))));
      List<List<String>> outages = new ArrayList<>();
      for (Object o : s.getJsonArray("outages", new JsonArray())) {
        JsonObject x = (JsonObject) o;
        String detail =
            w.get(
                    "state_"
                        + ("major".equals(x.getString("class"))
                            ? "major_outage"
                            : "partial_outage"))
                + ", "
                + minutes(x.getString("counted_minutes"))
                + ", "
                + (x.getBoolean("touched_you", false)
                    ? w.get("label_touched")
                    : w.get("label_not_touched"))
                + (x.getBoolean("excluded", false) ? " (" + w.get("label_excluded") + ")" : "");
        outages.add(
            List.of(
                when(x.getString("started_at")), componentName(x.getString("component")), detail));
      }
      List<String> paragraphs = new ArrayList<>();
      int more = s.getInteger("outages_total", 0) - outages.size();
      if (more > 0) {
        paragraphs.add(w.get("statement_more", more));
      }
      return new MessageView(
          w.get("subject_statement", month),
          s.getString("tenant_name") + " · " + month,
          null,
          "info",
          w.get("statement_intro", s.getString("tenant_name"), month),
          facts,
          outages,
          paragraphs,
          w.get("view_tenant"),
          context.publicUrl() + "/tenant");
    }

    /** A view without badge or paragraphs, its subject its heading: what operators get. */
    private MessageView notice(
        String subject,
        String tone,
        String intro,
        List<List<String>> facts,
        List<List<String>> timeline,
        String linkLabel,
        String linkUrl) {
      return new MessageView(
          subject, subject, null, tone, intro, facts, timeline, List.of(), linkLabel, linkUrl);
    }

    MessageView monthClosed(JsonObject m) {
      return notice(
          w.get("subject_month_closed", m.getString("month"), m.getInteger("revision")),
          "info",
          w.get("month_closed_intro"),
          List.of(
              List.of(w.get("label_mup"), m.getString("mup") + "%"),
              List.of(w.get("label_credit_tier"), m.getInteger("credit_pct") + "%"),
              List.of(w.get("label_credited"), krw(m.getLong("credited_krw"))),
              List.of(w.get("label_entries"), String.valueOf(m.getInteger("entries_written")))),
          List.of(),
          w.get("view_sla"),
          context.publicUrl() + "/sla");
    }

    MessageView gap(JsonObject g) {
      String reason = g.getString("reason");
      List<List<String>> spans = new ArrayList<>();
      for (Object o : g.getJsonArray("gaps", new JsonArray())) {
        JsonObject x = (JsonObject) o;
        spans.add(
            List.of(
                when(x.getString("started_at")) + " – " + when(x.getString("ended_at")),
                componentName(x.getString("component")) + "/" + x.getString("cell"),
                x.getString("location")));
      }
      return notice(
          w.get("subject_gap_" + reason, g.getInteger("count")),
          "warn",
          w.get("gap_" + reason),
          List.of(List.of(w.get("label_count"), String.valueOf(g.getInteger("count")))),
          spans,
          w.get("view_page"),
          context.publicUrl() + "/");
    }

    MessageView certificate(JsonObject c) {
      String where = componentName(c.getString("component")) + "/" + c.getString("cell");
      return notice(
          w.get("subject_certificate", where, c.getLong("days_left")),
          c.getLong("days_left") < 3 ? "bad" : "warn",
          w.get("certificate_intro"),
          List.of(
              List.of(w.get("label_cell"), where),
              List.of(w.get("label_expires"), when(c.getString("not_after"))),
              List.of(w.get("label_days_left"), String.valueOf(c.getLong("days_left")))),
          List.of(),
          w.get("view_page"),
          context.publicUrl() + "/");
    }

    MessageView subscription(boolean confirm) {
      String site = w.get("site");
      return confirm
          ? notice(
              w.get("subject_confirm", site),
              "info",
              w.get("confirm_intro", site),
              List.of(),
              List.of(),
              w.get("confirm_action"),
              Links.CONFIRM)
          : notice(
              w.get("subject_existing", site),
              "info",
              w.get("existing_intro", site),
              List.of(),
              List.of(),
              w.get("manage"),
              Links.MANAGE);
    }

    private static String krw(Long amount) {
      return String.format(Locale.ROOT, "%,d KRW", Objects.requireNonNullElse(amount, 0L));
    }

    /** Exact minutes ("403.2167") as people read them: "403 min", or "< 1 min". */
    private String minutes(String exact) {
      BigDecimal m = new BigDecimal(exact == null ? "0" : exact);
      BigDecimal whole = m.setScale(0, RoundingMode.HALF_UP);
      String n = m.signum() > 0 && whole.signum() == 0 ? "< 1" : whole.toPlainString();
      return w.get("duration_minutes", n);
    }
  }
}
