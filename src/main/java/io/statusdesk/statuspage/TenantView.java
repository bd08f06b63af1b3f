package io.statusdesk.statuspage;

import io.statusdesk.Client;
import io.statusdesk.Csv;
import io.statusdesk.DomainException;
import io.statusdesk.admin.Refusals;
import io.statusdesk.admin.Refusals.Reason;
import io.statusdesk.ledger.LedgerEntry;
import io.statusdesk.ledger.LedgerRepository;
import io.statusdesk.probe.Component;
import io.statusdesk.tenant.Tenant;
import io.statusdesk.tenant.TenantRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.freemarker.FreeMarkerTemplateEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant's own view. The helpdesk signs the tenant in by sending it to
 * {@code /tenant/sso?token=JWT} (HS256 or RS256, {@code sub} = tenant id, {@code exp} required,
 * each token usable once; failures are throttled per address like API tokens); a session cookie
 * follows. Every query is keyed by the session's tenant, so no request can reach another
 * tenant's figures.
 */
public final class TenantView {
  static final String COOKIE = "sd_tenant";
  private static final int MONTHS = 12;
  private static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(1);
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ENGLISH);

  private final Optional<JWTAuth> jwt;
  private final Refusals refusals;
  private final TenantSessions sessions;
  private final TenantRepository tenants;
  private final LedgerRepository ledger;
  private final Map<String, Component> components = new HashMap<>();
  private final ZoneId zone;
  private final Clock clock;
  private FreeMarkerTemplateEngine engine;

  public TenantView(Vertx vertx, StatusPageConfig config, io.vertx.sqlclient.Pool pool,
      TenantRepository tenants, LedgerRepository ledger, List<Component> components, ZoneId zone,
      Refusals refusals, Clock clock) {
    this.jwt = keys(config).map(key -> JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(key).setJWTOptions(new JWTOptions().setLeeway(30))));
    this.refusals = refusals;
    this.sessions = new TenantSessions(pool);
    this.tenants = tenants;
    this.ledger = ledger;
    components.forEach(c -> this.components.put(c.id(), c));
    this.zone = zone;
    this.clock = clock;
  }

  private static Optional<PubSecKeyOptions> keys(StatusPageConfig config) {
    if (config.ssoPublicKeyPem().isPresent()) {
      return Optional.of(new PubSecKeyOptions().setAlgorithm("RS256")
          .setBuffer(config.ssoPublicKeyPem().get()));
    }
    return config.ssoSecret().map(s -> new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(s));
  }

  public Router router(Vertx vertx) {
    this.engine = FreeMarkerTemplateEngine.create(vertx, "ftlh");
    Router router = Router.router(vertx);
    router.get("/tenant/sso").handler(this::signIn);
    router.get("/tenant").handler(this::page);
    router.get("/tenant/credits.csv").handler(this::csv);
    router.post("/tenant/sign-out").handler(this::signOut);
    return router;
  }

  private void signIn(RoutingContext ctx) {
    String token = ctx.request().getParam("token");
    if (jwt.isEmpty()) {
      throw DomainException.notFound("tenant sign-in is not configured");
    }
    Client client = Client.of(ctx);
    if (token == null || token.isBlank() || token.length() > 4096) {
      refusals.throttled(client.address()).ifPresent(e -> {
        throw e;
      });
      throw refusals.refuse(client.address(), Reason.MISSING,
          DomainException.unauthenticated("a sign-in token is required"));
    }
    refusals.reserve(client.address()).ifPresent(e -> {
      throw e;
    });
    Instant now = clock.instant();
    // a claim of an unexpected type makes the verifier throw rather than fail its future
    Future.<User>future(p -> jwt.get().authenticate(new TokenCredentials(token))
            .onComplete(p))
        .recover(e -> Future.failedFuture(
            DomainException.unauthenticated("the sign-in token is invalid or expired")))
        .compose(user -> {
          // Vert.x keeps the verified claims beside the raw token, under attributes.accessToken
          JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
          Object sub = claims.getValue("sub");
          Object exp = claims.getValue("exp");
          if (!(sub instanceof String tenant) || !Tenant.ID.matcher(tenant).matches()
              || !(exp instanceof Integer || exp instanceof Long)) {
            return Future.failedFuture(DomainException.unauthenticated(
                "the sign-in token needs sub (a tenant id) and exp (whole seconds)"));
          }
          Instant expiry = Instant.ofEpochSecond(((Number) exp).longValue());
          if (expiry.isAfter(now.plus(MAX_TOKEN_LIFETIME))) {
            return Future.failedFuture(DomainException.unauthenticated(
                "the sign-in token must expire within an hour"));
          }
          // Single use is keyed on what the signature covers: another encoding of the same
          // signature is the same token, and any other token needs a new signature.
          String signed = token.substring(0, token.lastIndexOf('.'));
          return tenants.current(tenant).compose(t -> t.isEmpty()
              ? Future.failedFuture(DomainException.forbidden("no such tenant"))
              : sessions.open(signed, expiry, tenant, now));
        })
        .compose(session -> session.isPresent() ? Future.succeededFuture(session.get())
            : Future.failedFuture(
                DomainException.unauthenticated("this sign-in token was already used")))
        .onComplete(ar -> refusals.release(client.address()))
        .onSuccess(session -> {
          ctx.response().addCookie(Cookie.cookie(COOKIE, session).setPath("/tenant")
              .setHttpOnly(true).setSecure(client.secure()).setSameSite(CookieSameSite.LAX)
              .setMaxAge(TenantSessions.SESSION.toSeconds()));
          ctx.redirect("/tenant");
        })
        .onFailure(e -> ctx.fail(e instanceof DomainException d ? refused(client, d) : e));
  }

  private DomainException refused(Client client, DomainException e) {
    return switch (e.kind()) {
      case UNAUTHENTICATED -> refusals.refuse(client.address(), Reason.UNKNOWN, e);
      case FORBIDDEN -> refusals.refuse(client.address(), Reason.FORBIDDEN, e);
      default -> e;
    };
  }

  private Future<Optional<String>> tenantOf(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null || cookie.getValue().length() > 100) {
      return Future.succeededFuture(Optional.empty());
    }
    return sessions.tenant(cookie.getValue(), clock.instant());
  }

  private void page(RoutingContext ctx) {
    String lang = Lang.of(ctx);
    Map<String, String> t = Messages.of(lang);
    tenantOf(ctx).compose(tenant -> {
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("lang", lang);
      model.put("other_lang", "ko".equals(lang) ? "en" : "ko");
      model.put("t", t);
      model.put("zone", zone.getId());
      model.put("updated", WHEN.format(clock.instant().atZone(zone)));
      if (tenant.isEmpty()) {
        ctx.response().setStatusCode(401);
        model.put("signed_in", false);
        return Future.succeededFuture(model);
      }
      model.put("signed_in", true);
      return model(tenant.get(), lang, t).map(m -> {
        model.putAll(m);
        return model;
      });
    }).compose(model -> engine.render(model, "templates/tenant.ftlh"))
        .onSuccess(body -> ctx.response()
            .putHeader("Content-Type", "text/html; charset=utf-8")
            .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'self'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
            .putHeader("Cache-Control", "private, no-store")
            .end(body))
        .onFailure(ctx::fail);
  }

  private Future<Map<String, Object>> model(String tenantId, String lang, Map<String, String> t) {
    Instant now = clock.instant();
    YearMonth current = YearMonth.from(now.atZone(zone));
    Future<Optional<Tenant>> tenant = tenants.current(tenantId);
    Future<LedgerRepository.Credits> credits = ledger.credits(tenantId);
    Future<Map<String, Long>> byMonth = ledger.creditsByMonth(tenantId);
    Future<List<Future<JsonObject>>> reports = ledger.monitoringSince().map(since -> {
      // Before monitoring began there is nothing to show: evaluating such a month would show a
      // spotless 100 %, green where nothing was observed.
      YearMonth first = since.map(at -> YearMonth.from(at.atZone(zone))).orElse(current);
      List<Future<JsonObject>> months = new ArrayList<>();
      for (int i = 0; i < MONTHS; i++) {
        YearMonth m = current.minusMonths(i);
        months.add(ledger.report(m).compose(closed -> closed.isPresent()
            ? Future.succeededFuture(closed.get().report().put("closed", true))
            : m.isBefore(first) ? Future.succeededFuture((JsonObject) null)
            : ledger.evaluate(m, now).map(e -> e.json().put("closed", false)))
            // a month before any SLA version applied has nothing to show either
            .otherwise((JsonObject) null));
      }
      return months;
    });
    return Future.all(tenant, credits, byMonth).compose(a -> reports)
        .compose(months -> Future.all(months).map(months)).map(months -> {
      Tenant me = tenant.result().orElseThrow();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tenant", Map.of("id", me.id(), "name", me.name(), "plan", me.plan(),
          "status", me.status().dbValue(), "cells", me.cells()));
      List<Object> monthModels = new ArrayList<>();
      for (Future<JsonObject> f : months) {
        if (f.result() != null) {
          monthModels.add(month(f.result(), me, byMonth.result(), lang));
        }
      }
      m.put("months", monthModels);
      m.put("balance", credits.result().balanceKrw());
      List<Object> entries = new ArrayList<>();
      for (LedgerEntry e : credits.result().entries()) {
        entries.add(Map.of("at", WHEN.format(e.createdAt().atZone(zone)),
            "kind", t.get("kind_" + e.kind().dbValue()), "amount", e.amountKrw(),
            "month", e.month() == null ? "" : e.month(),
            "invoice", e.invoiceRef() == null ? "" : e.invoiceRef()));
      }
      m.put("entries", entries);
      return m;
    });
  }

  private Map<String, Object> month(JsonObject report, Tenant me, Map<String, Long> credits,
      String lang) {
    Map<String, Object> m = new LinkedHashMap<>();
    String month = report.getString("month");
    for (String key : List.of("month", "mup", "tt_minutes", "major_minutes", "partial_minutes",
        "dt_minutes", "excluded_minutes", "maintenance_minutes", "no_data_minutes")) {
      m.put(key, report.getString(key));
    }
    m.put("credit_pct", report.getInteger("credit_pct"));
    m.put("closed", report.getBoolean("closed"));
    m.put("credit_krw", credits.getOrDefault(month, 0L));
    List<Object> outages = new ArrayList<>();
    for (Object o : report.getJsonArray("outages", new JsonArray())) {
      JsonObject outage = (JsonObject) o;
      List<String> cells = outage.getJsonArray("cells", new JsonArray()).stream()
          .map(String::valueOf).toList();
      boolean touched = cells.isEmpty() || "major".equals(outage.getString("class"))
          || cells.stream().anyMatch(me.cells()::contains);
      Component c = components.get(outage.getString("component"));
      String name = c == null ? outage.getString("component") : c.name(lang);
      outages.add(Map.of("component", name, "class", outage.getString("class"),
          "started", when(outage.getString("started_at")),
          "ended", outage.getString("ended_at") == null ? "" : when(outage.getString("ended_at")),
          "counted", outage.getString("counted_minutes"),
          "excluded", outage.getValue("exclusion") != null,
          "touched", touched));
    }
    m.put("outages", outages);
    return m;
  }

  private String when(String iso) {
    return WHEN.format(Instant.parse(iso).atZone(zone));
  }

  /** The tenant's ledger entries as CSV; nobody else's. */
  private void csv(RoutingContext ctx) {
    tenantOf(ctx).compose(tenant -> tenant.isEmpty()
            ? Future.failedFuture(DomainException.unauthenticated("sign in through the helpdesk"))
            : ledger.credits(tenant.get()))
        .onSuccess(credits -> {
          StringBuilder out = new StringBuilder(Csv.row("created_at", "kind", "amount_krw",
              "month", "invoice_ref"));
          credits.entries().forEach(e -> out.append(Csv.row(e.createdAt().toString(),
              e.kind().dbValue(), e.amountKrw(), e.month(), e.invoiceRef())));
          out.append(Csv.row("balance", "", credits.balanceKrw(), "", ""));
          ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader("Content-Disposition",
                  "attachment; filename=\"statusdesk-credits-" + credits.tenantId() + ".csv\"")
              .putHeader("Cache-Control", "private, no-store")
              .end(out.toString());
        })
        .onFailure(ctx::fail);
  }

  private void signOut(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    Future<Void> closed = cookie == null ? Future.succeededFuture()
        : sessions.close(cookie.getValue());
    closed.onSuccess(v -> {
      ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/tenant").setMaxAge(0)
          .setHttpOnly(true).setSameSite(CookieSameSite.LAX));
      ctx.redirect("/tenant");
    }).onFailure(ctx::fail);
  }
}
