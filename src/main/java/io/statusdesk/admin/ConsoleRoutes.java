package io.statusdesk.admin;

import io.statusdesk.Client;
import io.statusdesk.Csv;
import io.statusdesk.CsvExport;
import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.Resources;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console pages that belong to identity itself: signing in and out, the set-up link, accounts,
 * API tokens and the audit log, and the console's static files. Feature pages live beside their
 * features and are mounted next to these.
 */
public final class ConsoleRoutes {
  private static final int PAGE = 50;
  private static final int AUDIT_PAGE = 100;
  private static final Pattern NEXT = Pattern.compile("/admin(/[A-Za-z0-9/_.-]*)?(\\?[^\\s#]*)?");
  private static final Map<String, String[]> ASSETS =
      Map.of(
          "console.css", new String[] {"templates/static/console.css", "text/css"},
          "console.js", new String[] {"templates/static/console.js", "text/javascript"},
          "latency.js", new String[] {"templates/static/latency.js", "text/javascript"},
          "uplot.js",
              new String[] {
                "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "text/javascript"
              },
          "uplot.css",
              new String[] {
                "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css", "text/css"
              });

  private final Console console;
  private final Accounts accounts;
  private final TokenRepository tokens;
  private final AuditRepository audit;
  private final String baseUrl;
  private final Map<String, Buffer> assets = new HashMap<>();

  /** {@code baseUrl}: where people reach the service, for the set-up links shown to admins. */
  public ConsoleRoutes(
      Console console, TokenRepository tokens, AuditRepository audit, String baseUrl) {
    this.console = console;
    this.accounts = console.accounts();
    this.tokens = tokens;
    this.audit = audit;
    this.baseUrl = baseUrl;
    ASSETS.forEach((name, where) -> assets.put(name, Buffer.buffer(Resources.read(where[0]))));
  }

  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    r.get("/admin/static/:file").handler(this::asset);
    r.get("/admin/sign-in").handler(this::signInPage);
    console.anonymousPost(r, "/admin/sign-in").handler(this::signIn);
    r.get("/admin/setup").handler(this::setupPage);
    console.anonymousPost(r, "/admin/setup").handler(this::setup);
    console
        .get(r, "/admin", Section.OVERVIEW)
        .handler(ctx -> Console.seeOther(ctx, "/admin/overview"));
    console.readerPost(r, "/admin/sign-out", Section.OVERVIEW).handler(this::signOut);
    console.get(r, "/admin/accounts", Section.ACCOUNTS).handler(ctx -> accountsPage(ctx, Map.of()));
    console.post(r, "/admin/accounts", Section.ACCOUNTS).handler(this::invite);
    console.post(r, "/admin/accounts/:account/role", Section.ACCOUNTS).handler(this::changeRole);
    console
        .post(r, "/admin/accounts/:account/disable", Section.ACCOUNTS)
        .handler(ctx -> change(ctx, "disable"));
    console
        .post(r, "/admin/accounts/:account/enable", Section.ACCOUNTS)
        .handler(ctx -> change(ctx, "enable"));
    console.post(r, "/admin/accounts/:account/reset", Section.ACCOUNTS).handler(this::reset);
    console.get(r, "/admin/tokens", Section.TOKENS).handler(ctx -> tokensPage(ctx, 200, Map.of()));
    console.post(r, "/admin/tokens", Section.TOKENS).handler(this::createToken);
    console.post(r, "/admin/tokens/:token/revoke", Section.TOKENS).handler(this::revoke);
    console.get(r, "/admin/audit", Section.AUDIT).handler(this::auditPage);
    console.get(r, "/admin/audit.csv", Section.AUDIT).handler(this::auditCsv);
    return r;
  }

  private void asset(RoutingContext ctx) {
    String name = ctx.pathParam("file");
    Buffer body = assets.get(name);
    if (body == null) {
      ctx.next();
      return;
    }
    ctx.response()
        .putHeader("Content-Type", ASSETS.get(name)[1] + "; charset=utf-8")
        .putHeader("Cache-Control", "public, max-age=3600")
        .end(body);
  }

  private void signInPage(RoutingContext ctx) {
    signInForm(ctx, 200, null, null);
  }

  private void signInForm(RoutingContext ctx, int status, String email, String error) {
    Map<String, Object> model = new HashMap<>();
    model.put("form_token", console.formToken(ctx));
    model.put("next", next(Console.field(ctx, "next")));
    model.put("email", email == null ? "" : email);
    if (error != null) {
      model.put("error", error);
    }
    console.render(ctx, status, "sign-in", model);
  }

  /** Where to go after signing in: a console page, never another site. */
  private static String next(String asked) {
    return asked != null && NEXT.matcher(asked).matches() && !asked.startsWith("//")
        ? asked
        : "/admin/overview";
  }

  private void signIn(RoutingContext ctx) {
    String email = Console.field(ctx, "email");
    var previous = ctx.request().getCookie(Console.SESSION_COOKIE);
    accounts
        .signIn(
            email,
            ctx.request().getFormAttribute("password"),
            Console.field(ctx, "code"),
            Client.of(ctx).address(),
            Optional.ofNullable(previous).map(c -> c.getValue()))
        .onSuccess(
            signedIn -> {
              ctx.response()
                  .addCookie(Console.cookie(ctx, Console.SESSION_COOKIE, signedIn.sessionId(), -1));
              Console.seeOther(ctx, next(Console.field(ctx, "next")));
            })
        .onFailure(
            e -> {
              if (e instanceof DomainException d
                  && (d.kind() == DomainException.Kind.UNAUTHENTICATED
                      || d.kind() == DomainException.Kind.THROTTLED)) {
                int status = d.kind() == DomainException.Kind.THROTTLED ? 429 : 401;
                if (d.retryAfterSeconds() > 0) {
                  ctx.response().putHeader("Retry-After", String.valueOf(d.retryAfterSeconds()));
                }
                signInForm(ctx, status, email, d.getMessage());
              } else {
                ctx.fail(e);
              }
            });
  }

  private void signOut(RoutingContext ctx) {
    var cookie = ctx.request().getCookie(Console.SESSION_COOKIE);
    accounts
        .signOut(cookie == null ? null : cookie.getValue())
        .onSuccess(
            v -> {
              ctx.response().addCookie(Console.cookie(ctx, Console.SESSION_COOKIE, "", 0));
              Console.seeOther(ctx, "/admin/sign-in?done=signed_out");
            })
        .onFailure(ctx::fail);
  }

  private void setupPage(RoutingContext ctx) {
    setupForm(ctx, 200, ctx.request().getParam("token"), null);
  }

  private void setupForm(RoutingContext ctx, int status, String token, String error) {
    accounts
        .link(token)
        .onSuccess(
            link -> {
              if (link.isEmpty()) {
                ctx.fail(
                    DomainException.notFound(
                        "this set-up link was used, has expired or was replaced; "
                            + "ask an admin for a new one"));
                return;
              }
              SetupLink l = link.get();
              Map<String, Object> model = new HashMap<>();
              model.put("form_token", console.formToken(ctx));
              model.put("token", token);
              model.put("email", l.email());
              model.put("role", l.role().dbValue());
              model.put("expires", console.when(l.expiresAt()));
              model.put("qr", QrCode.svgDataUri(Totp.uri(l.totpSecret(), l.email())));
              model.put("secret", l.totpSecret().replaceAll("(.{4})(?!$)", "$1 "));
              if (error != null) {
                model.put("error", error);
              }
              console.render(ctx, status, "setup", model);
            })
        .onFailure(ctx::fail);
  }

  private void setup(RoutingContext ctx) {
    String token = Console.field(ctx, "token");
    accounts
        .completeSetup(
            token,
            ctx.request().getFormAttribute("password"),
            ctx.request().getFormAttribute("password_repeat"),
            Console.field(ctx, "code"))
        .onSuccess(codes -> console.render(ctx, "setup-done", Map.of("codes", codes)))
        .onFailure(
            e -> Console.failed(ctx, e, (status, error) -> setupForm(ctx, status, token, error)));
  }

  private void accountsPage(RoutingContext ctx, Map<String, Object> extra) {
    accountsPage(ctx, 200, extra);
  }

  private void accountsPage(RoutingContext ctx, int status, Map<String, Object> extra) {
    String after = Optional.ofNullable(ctx.request().getParam("after")).orElse("");
    accounts
        .list(after, PAGE + 1)
        .onSuccess(
            list -> {
              Map<String, Object> model = new HashMap<>(extra);
              model.put("section", "accounts");
              List<Map<String, Object>> rows = new ArrayList<>();
              for (Account a : list.subList(0, Math.min(PAGE, list.size()))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", a.id());
                row.put("email", a.email());
                row.put("role", a.role().dbValue());
                row.put("status", a.status());
                row.put("created", console.when(a.createdAt()));
                row.put("created_by", a.createdBy());
                row.put("locked_until", a.lockedUntil().map(console::when).orElse(""));
                row.put("me", a.email().equalsIgnoreCase(Console.principal(ctx).name()));
                rows.add(row);
              }
              model.put("accounts", rows);
              model.put("roles", List.of("admin", "operator", "billing", "viewer"));
              model.put(
                  "next_href",
                  list.size() > PAGE
                      ? "/admin/accounts?after=" + Input.urlEncode(list.get(PAGE - 1).email())
                      : "");
              console.render(ctx, status, "accounts", model);
            })
        .onFailure(ctx::fail);
  }

  private void invite(RoutingContext ctx) {
    Console.attempt(
            () ->
                accounts.invite(
                    Console.field(ctx, "email"),
                    role(Console.field(ctx, "role")),
                    Console.principal(ctx).actor()))
        .onSuccess(i -> accountsPage(ctx, 201, invitation(i)))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        accountsPage(
                            ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }

  private Map<String, Object> invitation(Accounts.Invitation i) {
    return Map.of(
        "invitation",
        Map.of(
            "email", i.account().email(),
            "link", i.link(baseUrl),
            "expires", console.when(i.expiresAt())));
  }

  private static Role role(String value) {
    try {
      return Role.parseAccountRole(value);
    } catch (IllegalArgumentException e) {
      throw Input.invalid(e.getMessage());
    }
  }

  private void changeRole(RoutingContext ctx) {
    Console.attempt(
            () ->
                accounts.changeRole(
                    Input.pathId(ctx, "account"),
                    role(Console.field(ctx, "role")),
                    Console.principal(ctx)))
        .onSuccess(a -> Console.seeOther(ctx, "/admin/accounts?done=account_changed"))
        .onFailure(
            e ->
                Console.failed(ctx, e, (s, error) -> accountsPage(ctx, s, Map.of("error", error))));
  }

  private void change(RoutingContext ctx, String what) {
    long id = Input.pathId(ctx, "account");
    Principal me = Console.principal(ctx);
    (what.equals("disable") ? accounts.disable(id, me) : accounts.enable(id, me))
        .onSuccess(a -> Console.seeOther(ctx, "/admin/accounts?done=account_changed"))
        .onFailure(
            e ->
                Console.failed(ctx, e, (s, error) -> accountsPage(ctx, s, Map.of("error", error))));
  }

  private void reset(RoutingContext ctx) {
    accounts
        .resetSecondFactor(Input.pathId(ctx, "account"), Console.principal(ctx))
        .onSuccess(i -> accountsPage(ctx, invitation(i)))
        .onFailure(
            e ->
                Console.failed(ctx, e, (s, error) -> accountsPage(ctx, s, Map.of("error", error))));
  }

  private void tokensPage(RoutingContext ctx, int status, Map<String, Object> extra) {
    long before = Input.queryLong(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    Instant now = accounts.now();
    tokens
        .list(before, PAGE + 1)
        .onSuccess(
            list -> {
              Map<String, Object> model = new HashMap<>(extra);
              model.put("section", "tokens");
              List<Map<String, Object>> rows = new ArrayList<>();
              for (TokenRepository.Listed t : list.subList(0, Math.min(PAGE, list.size()))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", t.id());
                row.put("name", t.name());
                row.put("role", t.role().dbValue());
                row.put("status", t.status(now));
                row.put("created", console.when(t.createdAt()));
                row.put("created_by", t.createdBy().orElse(""));
                row.put("expires", t.expiresAt().map(console::when).orElse(""));
                row.put("last_used", t.lastUsedAt().map(console::when).orElse(""));
                rows.add(row);
              }
              model.put("tokens", rows);
              model.put("roles", List.of("operator", "billing", "viewer", "agent"));
              model.put(
                  "next_href",
                  list.size() > PAGE ? "/admin/tokens?before=" + list.get(PAGE - 1).id() : "");
              console.render(ctx, status, "tokens", model);
            })
        .onFailure(ctx::fail);
  }

  private void createToken(RoutingContext ctx) {
    Console.attempt(
            () -> {
              Role role;
              try {
                role = Role.parseTokenRole(Console.field(ctx, "role"));
              } catch (IllegalArgumentException e) {
                throw Input.invalid(e.getMessage());
              }
              Optional<Instant> expires =
                  Optional.ofNullable(Console.field(ctx, "expires")).map(this::startOfDay);
              return tokens.create(
                  Console.field(ctx, "name"),
                  role,
                  expires,
                  Console.principal(ctx).actor(),
                  accounts.now());
            })
        .onSuccess(
            token ->
                tokensPage(
                    ctx,
                    201,
                    Map.of("created", Map.of("name", Console.field(ctx, "name"), "token", token))))
        .onFailure(
            e ->
                Console.failed(
                    ctx,
                    e,
                    (status, error) ->
                        tokensPage(
                            ctx, status, Map.of("error", error, "form", Console.echo(ctx)))));
  }

  /** A date typed as yyyy-MM-dd: the start of that day in the contract time zone. */
  private Instant startOfDay(String date) {
    try {
      return LocalDate.parse(date).atStartOfDay(console.zone()).toInstant();
    } catch (DateTimeException e) {
      throw Input.invalid("expires: a date as yyyy-MM-dd");
    }
  }

  private void revoke(RoutingContext ctx) {
    String name = ctx.pathParam("token");
    if (!Principal.NAME.matcher(name).matches()) {
      throw DomainException.notFound("no token named " + name);
    }
    tokens
        .revoke(name, Console.principal(ctx).actor(), accounts.now())
        .onSuccess(v -> Console.seeOther(ctx, "/admin/tokens?done=token_revoked"))
        .onFailure(ctx::fail);
  }

  private AuditRepository.Filter filter(RoutingContext ctx) {
    Optional<String> actor = Optional.ofNullable(Console.field(ctx, "actor"));
    Optional<String> action = Optional.ofNullable(Console.field(ctx, "action"));
    actor.ifPresent(a -> Input.checkCharacters("actor", a, false));
    action.ifPresent(a -> Input.checkCharacters("action", a, false));
    Optional<Instant> from = Optional.ofNullable(Console.field(ctx, "from")).map(this::startOfDay);
    Optional<Instant> to =
        Optional.ofNullable(Console.field(ctx, "to"))
            .map(d -> startOfDay(d).plusSeconds(24 * 3600));
    return new AuditRepository.Filter(actor, action, from, to);
  }

  private void auditPage(RoutingContext ctx) {
    AuditRepository.Filter filter = filter(ctx);
    long before = Input.queryLong(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    audit
        .page(filter, before, AUDIT_PAGE + 1)
        .onSuccess(
            entries -> {
              Map<String, Object> model = new HashMap<>();
              model.put("section", "audit");
              List<Map<String, Object>> rows = new ArrayList<>();
              for (AuditRepository.Entry e :
                  entries.subList(0, Math.min(AUDIT_PAGE, entries.size()))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", e.id());
                row.put("at", console.when(e.at()));
                row.put("actor", e.actor());
                row.put("action", e.action());
                row.put("entity", e.entity() + " " + e.entityId());
                row.put("before", e.before() == null ? "" : String.valueOf(e.before()));
                row.put("after", e.after() == null ? "" : String.valueOf(e.after()));
                rows.add(row);
              }
              model.put("entries", rows);
              String query = query(ctx);
              model.put("query", query);
              model.put("filter", Console.echo(ctx));
              model.put(
                  "next_href",
                  entries.size() > AUDIT_PAGE
                      ? "/admin/audit?" + query + "before=" + entries.get(AUDIT_PAGE - 1).id()
                      : "");
              console.render(ctx, "audit", model);
            })
        .onFailure(ctx::fail);
  }

  /** The filter's part of a query string, ending in {@code &} when not empty. */
  private static String query(RoutingContext ctx) {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("actor", "action", "from", "to")) {
      String value = Console.field(ctx, name);
      if (value != null) {
        out.append(name).append('=').append(Input.urlEncode(value)).append('&');
      }
    }
    return out.toString();
  }

  private void auditCsv(RoutingContext ctx) {
    AuditRepository.Filter filter = filter(ctx);
    HttpServerResponse response =
        CsvExport.start(
            ctx,
            "statusdesk-audit.csv",
            Csv.row("id", "at", "actor", "action", "entity", "entity_id", "before", "after"));
    CsvExport.pages(
        response,
        Long.MAX_VALUE,
        before -> audit.page(filter, before, 1000),
        e ->
            Csv.row(
                e.id(),
                e.at().toString(),
                e.actor(),
                e.action(),
                e.entity(),
                e.entityId(),
                e.before() == null ? "" : String.valueOf(e.before()),
                e.after() == null ? "" : String.valueOf(e.after())),
        AuditRepository.Entry::id);
  }
}
