package io.statusdesk.tenant;

import io.statusdesk.Input;
import io.statusdesk.admin.Console;
import io.statusdesk.admin.Section;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's tenant pages: search (by id or name, paged by id), view, edit (from now or
 * back-dated) and the CSV import, whose line-numbered errors are listed in the form. Writes go
 * through the API's own parsing ({@link TenantRoutes}) and {@link Tenants}.
 */
public final class TenantConsole {
  private static final int PAGE = 50;

  private final Tenants tenants;
  private final Console console;

  public TenantConsole(Tenants tenants, Console console) {
    this.tenants = tenants;
    this.console = console;
  }

  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    console.get(r, "/admin/tenants", Section.TENANTS).handler(this::search);
    console
        .getForm(r, "/admin/tenants/import", Section.TENANTS)
        .handler(ctx -> importForm(ctx, 200, Map.of()));
    console
        .upload(r, "/admin/tenants/import", Section.TENANTS, TenantRoutes.IMPORT_LIMIT)
        .handler(this::importCsv);
    console
        .get(r, "/admin/tenants/:tenant", Section.TENANTS)
        .handler(ctx -> show(ctx, 200, Map.of()));
    console.post(r, "/admin/tenants/:tenant", Section.TENANTS).handler(this::save);
    return r;
  }

  private void search(RoutingContext ctx) {
    Optional<String> query = Optional.ofNullable(Console.field(ctx, "q"));
    query.ifPresent(q -> Input.checkCharacters("q", q, false));
    String after = Optional.ofNullable(ctx.request().getParam("after")).orElse("");
    tenants
        .search(query, after, PAGE + 1)
        .onSuccess(
            list -> {
              Map<String, Object> model = new HashMap<>();
              model.put("section", "tenants");
              model.put("q", query.orElse(""));
              model.put(
                  "tenants",
                  list.subList(0, Math.min(PAGE, list.size())).stream()
                      .map(TenantConsole::row)
                      .toList());
              model.put(
                  "next_href",
                  list.size() > PAGE
                      ? "/admin/tenants?"
                          + query.map(q -> "q=" + Input.urlEncode(q) + "&").orElse("")
                          + "after="
                          + Input.urlEncode(list.get(PAGE - 1).id())
                      : "");
              console.render(ctx, "tenants", model);
            })
        .onFailure(ctx::fail);
  }

  private static Map<String, Object> row(Tenant t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("name", t.name());
    m.put("plan", t.plan());
    m.put("members", t.members());
    m.put("status", t.status().dbValue());
    m.put("cells", String.join(", ", t.cells()));
    return m;
  }

  private void show(RoutingContext ctx, int status, Map<String, Object> extra) {
    String id = Tenant.pathId(ctx.pathParam("tenant"));
    Future.all(tenants.current(id), tenants.prices())
        .onSuccess(
            all -> {
              Tenant t = all.resultAt(0);
              PriceList prices = all.resultAt(1);
              Map<String, Object> model = new HashMap<>(extra);
              model.put("section", "tenants");
              model.put("tenant", row(t));
              model.put(
                  "plans",
                  prices.versions().stream()
                      .map(v -> v.plan().name())
                      .distinct()
                      .sorted()
                      .toList());
              model.put("statuses", List.of("current", "past_due", "terminated"));
              model.putIfAbsent(
                  "form",
                  Map.of(
                      "name", t.name(),
                      "plan", t.plan(),
                      "members", String.valueOf(t.members()),
                      "status", t.status().dbValue(),
                      "cells", String.join(", ", t.cells())));
              console.render(ctx, status, "tenant", model);
            })
        .onFailure(ctx::fail);
  }

  private void save(RoutingContext ctx) {
    String id = Tenant.pathId(ctx.pathParam("tenant"));
    Console.attempt(
            () -> {
              JsonObject body = console.json(ctx, Set.of("effective_from"));
              String members = body.getString("members", "");
              try {
                body.put("members", Long.parseLong(members));
              } catch (NumberFormatException e) {
                throw Input.invalid("members: a whole number from 0 to " + Tenant.MAX_MEMBERS);
              }
              String cells = (String) body.remove("cells");
              body.put(
                  "cells",
                  new JsonArray(
                      cells == null
                          ? List.of()
                          : Arrays.stream(cells.split("[,;\\s]+", -1))
                              .filter(c -> !c.isEmpty())
                              .toList()));
              return tenants.record(
                  TenantRoutes.tenant(id, body),
                  TenantRoutes.effectiveFrom(body),
                  Console.principal(ctx).actor());
            })
        .onSuccess(
            r ->
                Console.seeOther(
                    ctx,
                    "/admin/tenants/"
                        + Input.urlEncode(id)
                        + "?done="
                        + (r.written().changed() > 0 ? "tenant_saved" : "tenant_unchanged")))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        show(ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }

  private void importForm(RoutingContext ctx, int status, Map<String, Object> extra) {
    Map<String, Object> model = new HashMap<>(extra);
    model.put("section", "tenants");
    model.put("columns", String.join(",", TenantCsv.COLUMNS));
    console.render(ctx, status, "tenant-import", model);
  }

  private void importCsv(RoutingContext ctx) {
    Console.attempt(
            () -> {
              List<FileUpload> files = ctx.fileUploads();
              if (files.isEmpty() || files.get(0).size() == 0) {
                throw Input.invalid("file: choose a CSV file");
              }
              JsonObject body = console.json(ctx, Set.of("effective_from"));
              return ctx.vertx()
                  .fileSystem()
                  .readFile(files.get(0).uploadedFileName())
                  .compose(
                      csv ->
                          tenants.importCsv(
                              csv.toString(StandardCharsets.UTF_8),
                              TenantRoutes.effectiveFrom(body),
                              Console.principal(ctx).actor()));
            })
        .onSuccess(
            i ->
                importForm(
                    ctx,
                    200,
                    Map.of(
                        "imported",
                        Map.of(
                            "tenants", i.tenants(),
                            "changed", i.written().changed(),
                            "unchanged", i.written().unchanged(),
                            "effective_from", console.when(i.effectiveFrom())))))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        importForm(
                            ctx,
                            status,
                            Map.of("errors", List.of(error.split("; (?=line \\d+:)", -1))))));
  }
}
