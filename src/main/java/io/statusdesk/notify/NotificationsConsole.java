package io.statusdesk.notify;

import io.statusdesk.Input;
import io.statusdesk.admin.Console;
import io.statusdesk.admin.Section;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's notification pages: how the dispatcher is doing (deliveries waiting, dead letters,
 * subscribers), the dead letters newest first with a retry each, the subscribers with removal, and
 * an address's personal data exported or, after a confirmation, erased. Every act goes through
 * {@link Notifications}, so its rules and audit rows are the API's.
 */
public final class NotificationsConsole {
  private static final int PAGE = 50;

  private final Notifications notifications;
  private final Console console;

  public NotificationsConsole(Notifications notifications, Console console) {
    this.notifications = notifications;
    this.console = console;
  }

  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    Section s = Section.NOTIFICATIONS;
    console.get(r, "/admin/notifications", s).handler(ctx -> page(ctx, 200, Map.of()));
    console.post(r, "/admin/notifications/dead-letters/:delivery/retry", s).handler(this::retry);
    console.get(r, "/admin/notifications/subscribers", s).handler(this::subscribers);
    console.post(r, "/admin/notifications/subscribers/:subscriber/remove", s).handler(this::remove);
    console.post(r, "/admin/notifications/export", s).handler(this::export);
    console.post(r, "/admin/notifications/erase", s).handler(this::erase);
    return r;
  }

  private void page(RoutingContext ctx, int status, Map<String, Object> extra) {
    long before = Input.queryLong(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    Future.all(notifications.counts(), notifications.latestDeadLetters(before, PAGE + 1))
        .onSuccess(
            all -> {
              Notifications.Counts counts = all.resultAt(0);
              List<DeadLetter> dead = all.resultAt(1);
              Map<String, Object> model = new HashMap<>(extra);
              model.put("section", "notifications");
              model.put("counts", counts(counts));
              model.put(
                  "dead_letters",
                  dead.subList(0, Math.min(PAGE, dead.size())).stream().map(this::row).toList());
              model.put(
                  "next_href",
                  dead.size() > PAGE
                      ? "/admin/notifications?before=" + dead.get(PAGE - 1).id()
                      : "");
              model.putIfAbsent("address", "");
              console.render(ctx, status, "notifications", model);
            })
        .onFailure(ctx::fail);
  }

  /** The counts as every page that shows them does (this one and the overview). */
  public static Map<String, Object> counts(Notifications.Counts c) {
    return Map.of(
        "pending", c.pending(), "dead_letters", c.deadLetters(), "subscribers", c.subscribers());
  }

  private Map<String, Object> row(DeadLetter d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("event", d.kind());
    m.put("event_id", d.eventId());
    m.put("channel", d.channel());
    m.put("recipient_kind", d.recipient().substring(0, 1));
    m.put("to", d.to());
    m.put("attempts", d.attempts());
    m.put("last_error", Optional.ofNullable(d.lastError()).orElse(""));
    m.put("created", console.when(d.createdAt()));
    m.put("dead_at", console.when(d.deadAt()));
    return m;
  }

  private void retry(RoutingContext ctx) {
    notifications
        .retry(Input.pathId(ctx, "delivery"), Console.principal(ctx).actor())
        .onSuccess(v -> Console.seeOther(ctx, "/admin/notifications?done=dead_letter_retried"))
        .onFailure(ctx::fail);
  }

  private void subscribers(RoutingContext ctx) {
    long after = Input.queryLong(ctx, "after", 0, 0, Long.MAX_VALUE);
    Optional<String> kind = Optional.ofNullable(Console.field(ctx, "kind"));
    Console.attempt(() -> notifications.subscribers(kind, after, PAGE + 1))
        .onSuccess(
            list -> {
              Map<String, Object> model = new HashMap<>();
              model.put("section", "notifications");
              model.put("kind", kind.orElse(""));
              model.put(
                  "subscribers",
                  list.subList(0, Math.min(PAGE, list.size())).stream().map(this::row).toList());
              model.put(
                  "next_href",
                  list.size() > PAGE
                      ? "/admin/notifications/subscribers?"
                          + kind.map(k -> "kind=" + k + "&").orElse("")
                          + "after="
                          + list.get(PAGE - 1).id()
                      : "");
              console.render(ctx, "subscribers", model);
            })
        .onFailure(ctx::fail);
  }

  private Map<String, Object> row(Subscription s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("kind", s.kind());
    m.put("shown", s.shown());
    m.put("state", s.state());
    m.put("components", String.join(", ", s.components()));
    m.put("lang", s.lang());
    m.put("created", console.when(s.createdAt()));
    return m;
  }

  private void remove(RoutingContext ctx) {
    notifications
        .removeSubscriber(Input.pathId(ctx, "subscriber"), Console.principal(ctx).actor())
        .onSuccess(
            v -> Console.seeOther(ctx, "/admin/notifications/subscribers?done=subscriber_removed"))
        .onFailure(ctx::fail);
  }

  /** Downloads what the API's export answers; an address with nothing kept is told so. */
  private void export(RoutingContext ctx) {
    String address = address(ctx);
    Console.attempt(() -> notifications.export(address))
        .onSuccess(
            json -> {
              if (!Notifications.erasable(json) && json.getValue("suppressed") == null) {
                page(ctx, 200, Map.of("address", address, "personal", "nothing_kept"));
                return;
              }
              ctx.response()
                  .putHeader("Content-Type", "application/json; charset=utf-8")
                  .putHeader("Content-Disposition", "attachment; filename=\"personal-data.json\"")
                  .putHeader("Cache-Control", "no-store")
                  .end(json.encodePrettily());
            })
        .onFailure(e -> refused(ctx, e, address));
  }

  /**
   * First shows what erasing would remove and asks to confirm; confirmed, erases it (leaving the
   * address's hash as a suppression entry).
   */
  private void erase(RoutingContext ctx) {
    String address = address(ctx);
    if ("1".equals(Console.field(ctx, "confirmed"))) {
      Console.attempt(() -> notifications.erase(address, Console.principal(ctx).actor()))
          .onSuccess(v -> Console.seeOther(ctx, "/admin/notifications?done=personal_data_erased"))
          .onFailure(e -> refused(ctx, e, address));
      return;
    }
    Console.attempt(() -> notifications.export(address))
        .onSuccess(
            json -> {
              if (!Notifications.erasable(json)) {
                page(
                    ctx,
                    200,
                    Map.of(
                        "address",
                        address,
                        "personal",
                        json.getValue("suppressed") == null ? "nothing_kept" : "only_hash"));
                return;
              }
              page(ctx, 200, Map.of("address", address, "confirm_erase", held(json)));
            })
        .onFailure(e -> refused(ctx, e, address));
  }

  private static Map<String, Object> held(JsonObject export) {
    long messages =
        export.getJsonObject("messages").stream()
            .mapToLong(e -> ((JsonObject) e.getValue()).getLong("count"))
            .sum();
    return Map.of(
        "subscriptions", export.getJsonArray("subscriptions").size(),
        "tenant_contacts", export.getJsonArray("tenant_contacts").size(),
        "messages", messages);
  }

  private static String address(RoutingContext ctx) {
    return Optional.ofNullable(ctx.request().getFormAttribute("address")).orElse("");
  }

  private void refused(RoutingContext ctx, Throwable e, String address) {
    Console.failed(
        ctx, e, (status, error) -> page(ctx, status, Map.of("address", address, "error", error)));
  }
}
