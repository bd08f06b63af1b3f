package io.statusdesk.admin;

import io.statusdesk.Client;
import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.Lang;
import io.statusdesk.Messages;
import io.statusdesk.PageTemplates;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.templ.freemarker.FreeMarkerTemplateEngine;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What every console page shares, whichever feature owns it: the session guard (no session: off to
 * sign in; a role that may not: 403), the CSRF check on every form, and rendering a page of {@code
 * templates/admin/} in the person's language with the console's Content-Security-Policy (scripts
 * only from the service itself, no inline script or style). Feature packages mount their pages on
 * routers made with these helpers.
 */
public final class Console {
  /** The session cookie: HttpOnly, SameSite=Strict, Secure behind TLS, scoped to /admin. */
  public static final String SESSION_COOKIE = "sd_console";

  /** The form token of pages shown before sign-in (sign-in, set-up): a double-submit cookie. */
  static final String FORM_COOKIE = "sd_console_form";

  /** Largest form a console page takes. */
  public static final int FORM_LIMIT = 64 * 1024;

  static final String CSP =
      "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
          + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private static final String SESSION = "statusdesk.console.session";
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ENGLISH);
  private static final Path UPLOADS =
      Path.of(System.getProperty("java.io.tmpdir"), "statusdesk-uploads");

  private final Accounts accounts;
  private final ZoneId zone;
  private final FreeMarkerTemplateEngine engine;

  /** {@code zone}: the contract time zone, in which the console shows every time. */
  public Console(Vertx vertx, Accounts accounts, ZoneId zone) {
    this.accounts = accounts;
    this.zone = zone;
    this.engine = PageTemplates.engine(vertx);
  }

  public ZoneId zone() {
    return zone;
  }

  public Accounts accounts() {
    return accounts;
  }

  /** Now, by the service's clock. */
  public Instant now() {
    return accounts.now();
  }

  /** A page of {@code section} anyone who may read it may see. */
  public Route get(Router router, String path, Section section) {
    return router.get(path).handler(guard(section.readers()));
  }

  /** The page of a form that changes what {@code section} shows: only for those who may. */
  public Route getForm(Router router, String path, Section section) {
    return router.get(path).handler(guard(section.writers()));
  }

  /**
   * A form that changes what {@code section} shows: signed in with a role that may change it, then
   * the body (at most {@link #FORM_LIMIT}), then the CSRF token, then the handler added to the
   * returned route. Two routes, because Vert.x Web wants a body handler first on its route.
   */
  public Route post(Router router, String path, Section section) {
    return post(
        router, path, section.writers(), BodyHandler.create(false).setBodyLimit(FORM_LIMIT));
  }

  /**
   * {@link #post} for a form anyone who may read {@code section} may send: it changes nothing shown
   * there (a preview, signing out).
   */
  public Route readerPost(Router router, String path, Section section) {
    return post(
        router, path, section.readers(), BodyHandler.create(false).setBodyLimit(FORM_LIMIT));
  }

  /** {@link #post} for a form with a file of at most {@code limit} bytes. */
  public Route upload(Router router, String path, Section section, long limit) {
    return post(
        router,
        path,
        section.writers(),
        BodyHandler.create(true)
            .setBodyLimit(limit)
            .setUploadsDirectory(UPLOADS.toString())
            .setDeleteUploadedFilesOnEnd(true));
  }

  private Route post(Router router, String path, Set<Role> allowed, BodyHandler body) {
    router.post(path).handler(guard(allowed));
    return router.post(path).handler(body).handler(this::checkCsrf);
  }

  /** A form shown before sign-in (sign-in, set-up): its token is a double-submit cookie. */
  Route anonymousPost(Router router, String path) {
    return router
        .post(path)
        .handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT))
        .handler(this::checkFormCookie);
  }

  /**
   * The guard of every console route: the request waits unread while its session is looked up; no
   * live session fails it as unauthenticated (the error handler sends a person to sign in), a role
   * that may not fails it as forbidden.
   */
  private Handler<RoutingContext> guard(Set<Role> allowed) {
    return ctx -> {
      HttpServerRequest request = ctx.request();
      if (!request.isEnded()) {
        request.pause();
      }
      Cookie cookie = request.getCookie(SESSION_COOKIE);
      accounts
          .session(cookie == null ? null : cookie.getValue())
          .onFailure(ctx::fail)
          .onSuccess(
              session -> {
                if (session.isEmpty()) {
                  ctx.fail(DomainException.unauthenticated("sign in to use the console"));
                  return;
                }
                Principal who = session.get().principal();
                if (!who.may(allowed)) {
                  ctx.fail(
                      DomainException.forbidden(
                          "the role " + who.role().dbValue() + " may not do this"));
                  return;
                }
                ctx.put(SESSION, session.get());
                Auth.proceed(ctx);
              });
    };
  }

  private void checkCsrf(RoutingContext ctx) {
    Session session = ctx.get(SESSION);
    if (!same(session.csrf(), ctx.request().getFormAttribute("csrf"))) {
      ctx.fail(staleForm());
      return;
    }
    ctx.next();
  }

  private void checkFormCookie(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(FORM_COOKIE);
    if (cookie == null || !same(cookie.getValue(), ctx.request().getFormAttribute("csrf"))) {
      ctx.fail(staleForm());
      return;
    }
    ctx.next();
  }

  private static DomainException staleForm() {
    return DomainException.forbidden(
        "this form is out of date or was not sent from the console; reload the page and try again");
  }

  private static boolean same(String expected, String given) {
    return expected != null
        && given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** The token for a form shown before sign-in, set as a cookie if there is none yet. */
  String formToken(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(FORM_COOKIE);
    if (cookie != null && cookie.getValue().matches("[A-Za-z0-9_-]{43}")) {
      return cookie.getValue();
    }
    String token = Secrets.token();
    ctx.response().addCookie(cookie(ctx, FORM_COOKIE, token, -1));
    return token;
  }

  /** A console cookie: path /admin, HttpOnly, SameSite=Strict, Secure when the client used TLS. */
  static Cookie cookie(RoutingContext ctx, String name, String value, long maxAgeSeconds) {
    Cookie cookie =
        Cookie.cookie(name, value)
            .setPath("/admin")
            .setHttpOnly(true)
            .setSameSite(CookieSameSite.STRICT)
            .setSecure(Client.of(ctx).secure());
    if (maxAgeSeconds >= 0) {
      cookie.setMaxAge(maxAgeSeconds);
    }
    return cookie;
  }

  /** Who is signed in (after a guard). */
  public static Principal principal(RoutingContext ctx) {
    Session session = ctx.get(SESSION);
    return session.principal();
  }

  /** A submitted field, stripped, or null when absent or blank. */
  public static String field(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    if (value == null) {
      value = ctx.request().getParam(name);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** Every value of a repeated field (checkboxes). */
  public static List<String> fields(RoutingContext ctx, String name) {
    List<String> out = new ArrayList<>(ctx.request().formAttributes().getAll(name));
    out.removeIf(String::isBlank);
    return out;
  }

  /**
   * The submitted fields as the JSON body the API takes for the same action, so a form goes through
   * the API's own parsing: blank fields are left out, and {@code times} (typed as local date and
   * time in the contract zone) become ISO instants with their offset.
   */
  public JsonObject json(RoutingContext ctx, Set<String> times) {
    JsonObject out = new JsonObject();
    for (String name : ctx.request().formAttributes().names()) {
      String value = field(ctx, name);
      if (value == null || name.equals("csrf")) {
        continue;
      }
      out.put(name, times.contains(name) ? iso(name, value) : value);
    }
    return out;
  }

  /** A {@code datetime-local} value in the contract zone as an ISO instant with its offset. */
  public String iso(String field, String local) {
    try {
      return LocalDateTime.parse(local).atZone(zone).toOffsetDateTime().toString();
    } catch (DateTimeException e) {
      throw Input.invalid(field + ": a date and time such as 2026-12-01T02:00");
    }
  }

  /** An instant as a {@code datetime-local} value in the contract zone, to whole seconds. */
  public String local(Instant at) {
    return at == null ? "" : LOCAL.format(at.atZone(zone));
  }

  /** The submitted form as the page shows it again after an error. */
  public static Map<String, Object> echo(RoutingContext ctx) {
    Map<String, Object> out = new HashMap<>();
    ctx.request()
        .formAttributes()
        .names()
        .forEach(
            n -> {
              if (!n.equals("csrf")) {
                List<String> all = ctx.request().formAttributes().getAll(n);
                out.put(n, all.size() == 1 ? all.get(0) : all);
              }
            });
    return out;
  }

  /** Runs {@code step}, turning what it throws into a failed future. */
  public static <T> Future<T> attempt(Supplier<Future<T>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * A form's failure: input the rules refused (400) or a state that forbids it (409) shows the form
   * again with the message through {@code form}; anything else is the error page.
   */
  public static void failed(RoutingContext ctx, Throwable e, BiConsumer<Integer, String> form) {
    if (e instanceof DomainException d
        && (d.kind() == DomainException.Kind.INVALID
            || d.kind() == DomainException.Kind.CONFLICT)) {
      form.accept(d.kind() == DomainException.Kind.INVALID ? 400 : 409, d.getMessage());
    } else {
      ctx.fail(e);
    }
  }

  /** After a change: 303 to where its result shows, with a notice key (see {@link #render}). */
  public static void seeOther(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  /** An instant as the console shows it, in the contract time zone. */
  public String when(Instant at) {
    return at == null ? "" : WHEN.format(at.atZone(zone));
  }

  /** {@link #render(RoutingContext, int, String, Map)} with 200. */
  public void render(RoutingContext ctx, String template, Map<String, Object> model) {
    render(ctx, 200, template, model);
  }

  /**
   * Renders {@code templates/admin/NAME.ftlh} with {@code model} plus what every page needs: the
   * language and its words ({@code t}), who is signed in, the CSRF token, the sections the person
   * may open, the notice named by {@code ?done=}, and where the language switch leads.
   */
  public void render(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    String lang = Lang.of(ctx);
    Map<String, String> t = Messages.of(lang);
    Map<String, Object> m = new LinkedHashMap<>(model);
    m.put("lang", lang);
    m.put("other_lang", "ko".equals(lang) ? "en" : "ko");
    m.put("t", t);
    m.put("zone", zone.getId());
    Session session = ctx.get(SESSION);
    if (session != null) {
      m.put(
          "me",
          Map.of("name", session.principal().name(), "role", session.principal().role().dbValue()));
      m.put("csrf", session.csrf());
      List<Map<String, String>> nav = new ArrayList<>();
      for (Section s : Section.values()) {
        if (session.principal().may(s.readers())) {
          nav.add(Map.of("key", s.key(), "path", s.path(), "label", t.get("nav_" + s.key())));
        }
      }
      m.put("nav", nav);
      Object section = model.get("section");
      m.put(
          "may_change",
          section instanceof String key
              && session.principal().may(Section.valueOf(key.toUpperCase(Locale.ROOT)).writers()));
    }
    String done = ctx.request().getParam("done");
    if (done != null && done.matches("[a-z_]{1,40}") && t.containsKey("done_" + done)) {
      m.put("done", t.get("done_" + done));
    }
    m.putIfAbsent("switch_to", switchTo(ctx, "ko".equals(lang) ? "en" : "ko"));
    engine
        .render(m, "templates/admin/" + template + ".ftlh")
        .onSuccess(
            body ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader("Content-Security-Policy", CSP)
                    .putHeader("Content-Language", lang)
                    .putHeader("Cache-Control", "no-store")
                    .end(body))
        .onFailure(ctx::fail);
  }

  /** The page itself in the other language (the section's page after a form was posted). */
  private static String switchTo(RoutingContext ctx, String other) {
    HttpServerRequest request = ctx.request();
    if (!"GET".equals(request.method().name())) {
      return "/admin?lang=" + other;
    }
    StringBuilder query = new StringBuilder();
    request
        .params()
        .forEach(
            (name, value) -> {
              if (!name.equals("lang") && !name.equals("done")) {
                query
                    .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8))
                    .append('&');
              }
            });
    return request.path() + "?" + query + "lang=" + other;
  }
}
