package io.statusdesk.notify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * One thing that happened, as its writer recorded it in the outbox: the payload holds what people
 * and machines are told, in each language ({@code {"en": {...}, "ko": {...}}}), built by the writer
 * that knows it.
 *
 * @param subject what it is about (an incident id, a maintenance occurrence, a tenant id, ...)
 * @param components the component ids it touches; empty when it touches the whole service or none
 * @param idempotencyKey the same change recorded twice (a replayed step, a retried batch) has the
 *     same key, and the outbox keeps only the first
 */
public record Event(
    EventKind kind,
    String subject,
    List<String> components,
    JsonObject payload,
    Instant occurredAt,
    String idempotencyKey) {

  public static final List<String> LANGS = List.of("en", "ko");

  public Event {
    components = List.copyOf(components);
  }

  /** An event whose payload is built once per language by {@code data}. */
  public static Event of(
      EventKind kind,
      String subject,
      List<String> components,
      Function<String, JsonObject> data,
      Instant occurredAt,
      String idempotencyKey) {
    JsonObject payload = new JsonObject();
    LANGS.forEach(lang -> payload.put(lang, data.apply(lang)));
    return new Event(kind, subject, components, payload, occurredAt, idempotencyKey);
  }

  /** The payload in {@code lang}, English when it has none in that language. */
  public JsonObject data(String lang) {
    JsonObject data = payload.getJsonObject(lang);
    return data != null ? data : payload.getJsonObject("en", new JsonObject());
  }
}
