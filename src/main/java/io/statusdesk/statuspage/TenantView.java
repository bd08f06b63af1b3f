package io.statusdesk.statuspage;

import io.statusdesk.Client;
import io.statusdesk.Csv;
import io.statusdesk.DomainException;
import io.statusdesk.Lang;
import io.statusdesk.Messages;
import io.statusdesk.PageTemplates;
import io.statusdesk.SameSite;
import io.statusdesk.admin.Refusals;
import io.statusdesk.admin.Refusals.Reason;
import io.statusdesk.ledger.Ledger;
import io.statusdesk.ledger.LedgerEntry;
import io.statusdesk.notify.Notifications;
import io.statusdesk.notify.TenantContact;
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
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.templ.freemarker.FreeMarkerTemplateEngine;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The tenant's own view. The helpdesk signs the tenant in by sending it to {@code
 * /tenant/sso?token=JWT} (HS256 or RS256, {@code sub} = tenant id, {@code exp} required, each token
 * usable once; failures are throttled per address like API tokens); a session cookie follows. Every
 * query is keyed by the session's tenant, so no request can reach another tenant's figures.
 */
public final class TenantView {
  static final String COOKIE = "sd_tenant";
  private static final int MONTHS = 12;

  /** How far the helpdesk's clock may be off ours when it dates a sign-in token. */
  private static final Duration LEEWAY = Duration.ofSeconds(30);

  private static final String INVALID_TOKEN = "the sign-in token is invalid or expired";
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ENGLISH);

  private final Optional<JWTAuth> jwt;
  private final Refusals refusals;
  private final TenantSessions sessions;
  private final TenantRepository tenants;
  private final Ledger ledger;
  private final Map<String, Component> components = new HashMap<>();
  private final ZoneId zone;
  private final Clock clock;
  private final Notifications notifications;
  private final String publicUrl;
  private FreeMarkerTemplateEngine engine;

  public TenantView(
      Vertx vertx,
      StatusPageConfig config,
      Pool pool,
      TenantRepository tenants,
      Ledger ledger,
      List<Component> components,
      ZoneId zone,
      Refusals refusals,
      Notifications notifications,
      Clock clock) {
    // exp, nbf and iat are judged here by the service's clock, not by Vert.x and the system's
    this.jwt = SignInLink.verifier(vertx, config);
    this.refusals = refusals;
    this.sessions = new TenantSessions(pool);
    this.tenants = tenants;
    this.ledger = ledger;
    components.forEach(c -> this.components.put(c.id(), c));
    this.zone = zone;
    this.clock = clock;
    this.notifications = notifications;
    this.publicUrl = config.publicUrl().orElse("");
  }

  public Router router(Vertx vertx) {
    this.engine = PageTemplates.engine(vertx);
    Router router = Router.router(vertx);
    router.get("/tenant/sso").handler(this::signIn);
    router.get("/tenant").handler(this::page);
    router.get("/tenant/credits.csv").handler(this::csv);
    router.post("/tenant/sign-out").handler(this::signOut);
    router
        .post("/tenant/contacts")
        .handler(BodyHandler.create(false).setBodyLimit(16 * 1024))
        .handler(this::saveContacts);
    return router;
  }

  /** Whether the time claim {@code name}, if the token has it, is later than {@code bound}. */
  private static boolean after(JsonObject claims, String name, Instant bound) {
    Object value = claims.getValue(name);
    return value != null
        && (!(value instanceof Number n) || Instant.ofEpochSecond(n.longValue()).isAfter(bound));
  }

  private void signIn(RoutingContext ctx) {
    String token = ctx.request().getParam("token");
    if (jwt.isEmpty()) {
      throw DomainException.notFound("tenant sign-in is not configured");
    }
    Client client = Client.of(ctx);
    if (token == null || token.isBlank() || token.length() > 4096) {
      refusals
          .throttled(client.address())
          .ifPresent(
              e -> {
                throw e;
              });
      throw refusals.refuse(
          client.address(),
          Reason.MISSING,
          DomainException.unauthenticated("a sign-in token is required"));
    }
    refusals
        .reserve(client.address())
        .ifPresent(
            e -> {
              throw e;
            });
    Instant now = clock.instant();
    // a claim of an unexpected type makes the verifier throw rather than fail its future
    Future.<User>future(p -> jwt.get().authenticate(new TokenCredentials(token)).onComplete(p))
        .recover(e -> Future.failedFuture(DomainException.unauthenticated(INVALID_TOKEN)))
        .compose(
            user -> {
              // Vert.x keeps the verified claims beside the raw token, under attributes.accessToken
              JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
              Object sub = claims.getValue("sub");
              Object exp = claims.getValue("exp");
              if (!(sub instanceof String tenant)
                  || !Tenant.ID.matcher(tenant).matches()
                  || !(exp instanceof Integer || exp instanceof Long)) {
                return Future.failedFuture(
                    DomainException.unauthenticated(
                        "the sign-in token needs sub (a tenant id) and exp (whole seconds)"));
              }
              Instant expiry = Instant.ofEpochSecond(((Number) exp).longValue());
              if (!expiry.isAfter(now.minus(LEEWAY))
                  || after(claims, "nbf", now.plus(LEEWAY))
                  || after(claims, "iat", now.plus(LEEWAY))) {
                return Future.failedFuture(DomainException.unauthenticated(INVALID_TOKEN));
              }
              if (expiry.isAfter(now.plus(SignInLink.MAX_LIFETIME))) {
                return Future.failedFuture(
                    DomainException.unauthenticated(
                        "the sign-in token must expire within an hour"));
              }
              // Single use is keyed on what the signature covers: another encoding of the same
              // signature is the same token, and any other token needs a new signature.
              String signed = token.substring(0, token.lastIndexOf('.'));
              return tenants
                  .current(tenant)
                  .compose(
                      t ->
                          t.isEmpty()
                              ? Future.failedFuture(DomainException.forbidden("no such tenant"))
                              : sessions.open(signed, expiry, tenant, now));
            })
        .compose(
            session ->
                session.isPresent()
                    ? Future.succeededFuture(session.get())
                    : Future.failedFuture(
                        DomainException.unauthenticated("this sign-in token was already used")))
        .onComplete(ar -> refusals.release(client.address()))
        .onSuccess(
            session -> {
              ctx.response()
                  .addCookie(
                      Cookie.cookie(COOKIE, session)
                          .setPath("/tenant")
                          .setHttpOnly(true)
                          .setSecure(client.secure())
                          .setSameSite(CookieSameSite.LAX)
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
    tenantOf(ctx)
        .compose(
            tenant -> {
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
              return model(tenant.get(), lang, t)
                  .map(
                      m -> {
                        model.putAll(m);
                        return model;
                      });
            })
        .compose(model -> engine.render(model, "templates/tenant.ftlh"))
        .onSuccess(
            body ->
                ctx.response()
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader(
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'self'; "
                            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
                    .putHeader("Cache-Control", "private, no-store")
                    .end(body))
        .onFailure(ctx::fail);
  }

  private Future<Map<String, Object>> model(String tenantId, String lang, Map<String, String> t) {
    Instant now = clock.instant();
    Future<Optional<Tenant>> tenant = tenants.current(tenantId);
    Future<Ledger.Credits> credits = ledger.credits(tenantId);
    Future<List<Ledger.TenantMonth>> months = ledger.tenantMonths(tenantId, MONTHS, now, zone);
    Future<List<TenantContact>> contacts = notifications.contacts(tenantId);
    return Future.all(tenant, credits, months, contacts)
        .map(
            a -> {
              Tenant me = tenant.result().orElseThrow();
              Map<String, Object> m = new LinkedHashMap<>();
              m.put(
                  "tenant",
                  Map.of(
                      "id",
                      me.id(),
                      "name",
                      me.name(),
                      "plan",
                      me.plan(),
                      "status",
                      me.status().dbValue(),
                      "cells",
                      me.cells()));
              m.put("months", months.result().stream().map(x -> month(x, me, lang, t)).toList());
              m.put("balance", credits.result().balanceKrw());
              List<Object> entries = new ArrayList<>();
              for (LedgerEntry e : credits.result().entries()) {
                entries.add(
                    Map.of(
                        "at",
                        WHEN.format(e.createdAt().atZone(zone)),
                        "kind",
                        t.get("kind_" + e.kind().dbValue()),
                        "amount",
                        e.amountKrw(),
                        "month",
                        e.month() == null ? "" : e.month(),
                        "invoice",
                        e.invoiceRef() == null ? "" : e.invoiceRef(),
                        "reason",
                        e.reason() == null ? "" : e.reason()));
              }
              m.put("entries", entries);
              m.put("statements", notifications.emailEnabled());
              m.put(
                  "contacts",
                  String.join(
                      "\n", contacts.result().stream().map(TenantContact::address).toList()));
              m.put(
                  "contacts_lang",
                  contacts.result().stream().findFirst().map(TenantContact::lang).orElse(lang));
              return m;
            });
  }

  private Map<String, Object> month(
      Ledger.TenantMonth month, Tenant me, String lang, Map<String, String> t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("month", month.month().toString());
    m.put("state", month.state().code());
    m.put("state_label", t.get("month_" + month.state().code()));
    m.put("has_figures", month.report().isPresent());
    m.put(
        "credit_krw",
        month.state() == Ledger.MonthState.CLOSED
            ? month.creditedKrw()
            : month.line().map(Ledger.Line::creditKrw).orElse(0L));
    m.put("fee_krw", month.line().map(Ledger.Line::feeKrw).orElse(0L));
    m.put(
        "zero_reason",
        month.line().flatMap(Ledger.Line::zeroReason).map(r -> t.get("zero_" + r)).orElse(""));
    if (month.report().isEmpty()) {
      return m;
    }
    JsonObject report = month.report().get();
    m.put("mup", report.getString("mup"));
    // people read whole minutes; the exact figures are in the JSON and CSV exports
    for (String key :
        List.of(
            "tt_minutes",
            "major_minutes",
            "partial_minutes",
            "dt_minutes",
            "excluded_minutes",
            "maintenance_minutes",
            "no_data_minutes")) {
      m.put(key, roundedMinutes(report.getString(key)));
    }
    m.put("credit_pct", report.getInteger("credit_pct"));
    String version = report.getString("policy_effective_from");
    m.put("sla_version", version == null ? "#" + report.getLong("policy_id") : when(version));
    List<Object> outages = new ArrayList<>();
    for (Object o : report.getJsonArray("outages", new JsonArray())) {
      JsonObject outage = (JsonObject) o;
      List<String> cells =
          outage.getJsonArray("cells", new JsonArray()).stream().map(String::valueOf).toList();
      Component c = components.get(outage.getString("component"));
      String name = c == null ? outage.getString("component") : c.name(lang);
      outages.add(
          Map.of(
              "component",
              name,
              "class",
              t.get("class_" + outage.getString("class")),
              "started",
              when(outage.getString("started_at")),
              "ended",
              outage.getString("ended_at") == null ? "" : when(outage.getString("ended_at")),
              "counted",
              roundedMinutes(outage.getString("counted_minutes")),
              "excluded",
              outage.getValue("exclusion") != null,
              "touched",
              me.touchedBy(
                  outage.getString("component"),
                  "major".equals(outage.getString("class")),
                  cells)));
    }
    m.put("outages", outages);
    return m;
  }

  /** Exact minutes ("403.2167") as people read them: "403", or "< 1" for a sliver. */
  private static String roundedMinutes(String exact) {
    BigDecimal minutes = new BigDecimal(exact);
    BigDecimal whole = minutes.setScale(0, RoundingMode.HALF_UP);
    return minutes.signum() > 0 && whole.signum() == 0 ? "< 1" : whole.toPlainString();
  }

  private String when(String iso) {
    return WHEN.format(Instant.parse(iso).atZone(zone));
  }

  /** The tenant's ledger entries as CSV; nobody else's. */
  private void csv(RoutingContext ctx) {
    tenantOf(ctx)
        .compose(
            tenant ->
                tenant.isEmpty()
                    ? Future.failedFuture(
                        DomainException.unauthenticated("sign in through the helpdesk"))
                    : ledger.credits(tenant.get()))
        .onSuccess(
            credits -> {
              // the running balance is a column of its own: no data row pretends to be an entry
              StringBuilder out =
                  new StringBuilder(
                      Csv.row(
                          "created_at",
                          "kind",
                          "amount_krw",
                          "month",
                          "invoice_ref",
                          "reason",
                          "balance_krw"));
              long balance = 0;
              for (LedgerEntry e : credits.entries()) {
                balance += e.kind().movesBalance() ? e.amountKrw() : 0;
                out.append(
                    Csv.row(
                        e.createdAt().toString(),
                        e.kind().dbValue(),
                        e.amountKrw(),
                        e.month(),
                        e.invoiceRef(),
                        e.reason(),
                        balance));
              }
              ctx.response()
                  .putHeader("Content-Type", "text/csv; charset=utf-8")
                  .putHeader(
                      "Content-Disposition",
                      "attachment; filename=\"statusdesk-credits-" + credits.tenantId() + ".csv\"")
                  .putHeader("Cache-Control", "private, no-store")
                  .end(out.toString());
            })
        .onFailure(ctx::fail);
  }

  /**
   * Replaces the addresses the tenant's statements and SLA notices go to (one a line). The session
   * cookie is SameSite=Lax, so another site cannot post with it; the origin is checked as well.
   */
  private void saveContacts(RoutingContext ctx) {
    String lang = ctx.request().getFormAttribute("lang");
    String text = Optional.ofNullable(ctx.request().getFormAttribute("addresses")).orElse("");
    // who is asking first (401), then whether the form came from our own pages (403), as on
    // every route that needs a credential
    tenantOf(ctx)
        .compose(
            tenant -> {
              if (tenant.isEmpty()) {
                return Future.failedFuture(
                    DomainException.unauthenticated("sign in through the helpdesk"));
              }
              SameSite.require(ctx, publicUrl);
              return notifications.setContacts(
                  tenant.get(), List.of(text.split("[\\s,;]+", -1)), lang);
            })
        .onSuccess(v -> ctx.redirect("/tenant?saved=contacts#statements"))
        .onFailure(ctx::fail);
  }

  private void signOut(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    Future<Void> closed =
        cookie == null ? Future.succeededFuture() : sessions.close(cookie.getValue());
    closed
        .onSuccess(
            v -> {
              ctx.response()
                  .addCookie(
                      Cookie.cookie(COOKIE, "")
                          .setPath("/tenant")
                          .setMaxAge(0)
                          .setHttpOnly(true)
                          .setSameSite(CookieSameSite.LAX));
              ctx.redirect("/tenant");
            })
        .onFailure(ctx::fail);
  }
}
