package io.statusdesk;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Request validation shared by every feature's routes. Each failure is a 400 whose message names
 * the field, thrown before anything is written.
 */
public final class Input {
  /** Longest free text accepted in any field. */
  public static final int MAX_TEXT = 4000;

  /** Fields allowed longer than this are paragraphs and may hold line breaks and tabs. */
  private static final int MAX_LINE = 500;

  /**
   * Every instant a request may carry lies in {@code [EARLIEST, LATEST)}: far-off years are
   * mistakes or attacks, and a month-by-month walk over them would never end.
   */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  private Input() {}

  /**
   * The request's JSON object, holding no field but {@code fields}: a misspelt field is refused
   * instead of silently changing nothing (a lost {@code effective_from} would lose a credit).
   */
  public static JsonObject body(RoutingContext ctx, Collection<String> fields) {
    JsonObject body;
    try {
      Object value = ctx.body().buffer() == null ? null : ctx.body().asJsonObject();
      if (value == null) {
        throw invalid("request body: a JSON object is required");
      }
      body = (JsonObject) value;
    } catch (DecodeException | ClassCastException e) {
      throw invalid("request body: a JSON object is required");
    }
    for (String field : body.fieldNames()) {
      if (!fields.contains(field)) {
        throw invalid(
            field
                + ": not a field of this request (its fields: "
                + String.join(", ", sorted(fields))
                + ")");
      }
    }
    return body;
  }

  /** A partial update names at least one of its fields. */
  public static void atLeastOne(JsonObject body, Collection<String> fields) {
    if (body.isEmpty()) {
      throw invalid("request body: name at least one of " + String.join(", ", sorted(fields)));
    }
  }

  private static List<String> sorted(Collection<String> fields) {
    return fields.stream().sorted().toList();
  }

  public static Optional<String> optionalText(JsonObject body, String field, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s)) {
      throw invalid(field + ": must be a string");
    }
    String text = s.strip();
    if (text.isEmpty()) {
      throw invalid(field + ": must not be empty");
    }
    if (text.length() > max) {
      throw invalid(field + ": at most " + max + " characters");
    }
    checkCharacters(field, text, max > MAX_LINE);
    return Optional.of(text);
  }

  /** Refuses control characters (see {@link Text#controlCharacter}) with a 400 naming the field. */
  public static void checkCharacters(String field, String text, boolean paragraph) {
    int c = Text.controlCharacter(text, paragraph);
    if (c >= 0) {
      throw invalid(Text.controlCharacterMessage(field, c));
    }
  }

  public static String text(JsonObject body, String field, int max) {
    return optionalText(body, field, max).orElseThrow(() -> invalid(field + ": required"));
  }

  public static Optional<Instant> optionalInstant(JsonObject body, String field) {
    return optionalText(body, field, 64).map(v -> instant(field, v));
  }

  public static Instant instant(JsonObject body, String field) {
    return instant(field, text(body, field, 64));
  }

  /**
   * ISO-8601 with an explicit offset; a bare local time is ambiguous and refused, and so is any
   * instant outside {@link #EARLIEST} to {@link #LATEST}.
   */
  public static Instant instant(String field, String value) {
    Instant instant;
    try {
      instant = OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid(field + ": an ISO-8601 instant with offset, e.g. 2026-12-01T02:00:00+09:00");
    }
    if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
      throw invalid(field + ": must lie between 2000-01-01 and 2100-01-01");
    }
    return instant;
  }

  /** Refuses an instant after {@code now}: what it dates has not happened yet. */
  public static Instant notInFuture(String field, Instant instant, Instant now) {
    if (instant.isAfter(now)) {
      throw invalid(field + ": must not be in the future");
    }
    return instant;
  }

  public static List<String> strings(JsonObject body, String field, int maxItems, int maxLength) {
    Object value = body.getValue(field);
    if (!(value instanceof JsonArray array)) {
      throw invalid(field + ": a list of strings is required");
    }
    if (array.isEmpty() || array.size() > maxItems) {
      throw invalid(field + ": between 1 and " + maxItems + " items");
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isBlank() || s.length() > maxLength) {
        throw invalid(
            field + ": items must be non-empty strings of at most " + maxLength + " characters");
      }
      checkCharacters(field, s, false);
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  public static YearMonth month(String field, String value) {
    if (value == null || !value.matches("\\d{4}-\\d{2}")) {
      throw invalid(field + ": a month as yyyy-MM is required");
    }
    YearMonth month;
    try {
      month = YearMonth.parse(value);
    } catch (DateTimeParseException e) {
      throw invalid(field + ": a month as yyyy-MM is required");
    }
    if (month.getYear() < 2000 || month.getYear() > 2099) {
      throw invalid(field + ": must lie between 2000-01 and 2099-12");
    }
    return month;
  }

  public static long pathId(RoutingContext ctx, String name) {
    String value = ctx.pathParam(name);
    try {
      long id = Long.parseLong(value);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw DomainException.notFound("no such " + name + " '" + value + "'");
  }

  public static int queryInt(RoutingContext ctx, String name, int fallback, int min, int max) {
    return (int) queryLong(ctx, name, fallback, min, max);
  }

  public static long queryLong(RoutingContext ctx, String name, long fallback, long min, long max) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid(name + ": a whole number from " + min + " to " + max);
  }

  /** Answers 201 with the new resource and where it lives. */
  public static void created(RoutingContext ctx, String location, JsonObject json) {
    ctx.response().setStatusCode(201).putHeader("Location", location);
    ctx.json(json);
  }

  /** {@code text} as a query-string value. */
  public static String urlEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  public static DomainException invalid(String message) {
    return new DomainException(DomainException.Kind.INVALID, message);
  }
}
