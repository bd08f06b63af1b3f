package io.statusdesk.notify;

import io.statusdesk.Client;
import io.statusdesk.DomainException;
import io.statusdesk.Lang;
import io.statusdesk.SameSite;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public subscription pages: subscribe (double opt-in), confirm, manage, unsubscribe. A visitor
 * has no account, so every post is checked the ways a public form can be: it must come from this
 * site (Origin, else Referer), and a new subscription needs the form's signed token matching its
 * {@code SameSite=Strict} cookie; a subscriber's own pages need the secret token of its link. Links
 * in mail only show pages: nothing changes on a GET, so link scanners change nothing.
 */
public final class SubscribeRoutes {
  static final String FORM_COOKIE = "sd_form";
  private static final int FORM_LIMIT = 16 * 1024;
  private static final String CSP =
      "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  private final Notifications notifications;
  private final MessageContext context;
  private final Templates templates = new Templates();

  public SubscribeRoutes(Notifications notifications, MessageContext context) {
    this.notifications = notifications;
    this.context = context;
  }

  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    BodyHandler form = BodyHandler.create(false).setBodyLimit(FORM_LIMIT);
    router.get("/subscribe").handler(this::form);
    router.post("/subscribe").handler(form).handler(this::subscribe);
    router.get("/subscribe/confirm").handler(this::confirmPage);
    router.post("/subscribe/confirm").handler(form).handler(this::confirm);
    router.get("/subscription").handler(this::manage);
    router.post("/subscription").handler(form).handler(this::save);
    router.get("/unsubscribe").handler(this::unsubscribePage);
    router.post("/unsubscribe").handler(form).handler(this::unsubscribe);
    return router;
  }

  /** The page a visitor asks for, before any post: a fresh form. */
  private void form(RoutingContext ctx) {
    String lang = Lang.of(ctx);
    Page page = new Page(lang, "form", "page_subscribe");
    page.withForm(ctx, Optional.empty(), List.of(), lang);
    send(ctx, 200, page);
  }

  /**
   * A post without a valid form token (the short form on the status page, or an old page) only
   * shows the whole form, filled in: nothing is sent until that form comes back.
   */
  private void subscribe(RoutingContext ctx) {
    refuseCrossSite(ctx);
    MultiMap fields = ctx.request().formAttributes();
    String lang = choice(fields.get("lang"), Lang.of(ctx));
    String email = fields.get("email");
    Cookie cookie = ctx.request().getCookie(FORM_COOKIE);
    List<String> chosen = fields.contains("all") ? List.of() : fields.getAll("components");
    if (cookie == null
        || !notifications.forms().valid(fields.get("form_token"), cookie.getValue())) {
      Page page = new Page(lang, "form", "page_subscribe");
      page.withForm(ctx, Optional.ofNullable(email), chosen, lang);
      send(ctx, 200, page);
      return;
    }
    Notifications.Request request = new Notifications.Request(email, lang, chosen);
    Future<Void> asked;
    try {
      asked = notifications.subscribe(request, Client.of(ctx).address());
    } catch (DomainException e) {
      if (e.kind() != DomainException.Kind.INVALID) {
        throw e;
      }
      Page page = new Page(lang, "form", "page_subscribe");
      page.withForm(ctx, Optional.ofNullable(email), chosen, lang);
      page.model.put("error", e.getMessage());
      send(ctx, 400, page);
      return;
    }
    asked
        .onSuccess(
            v -> {
              Page page = new Page(lang, "sent", "page_sent");
              page.text("page_sent_text", EmailAddress.parse(email));
              send(ctx, 200, page);
            })
        .onFailure(ctx::fail);
  }

  private void confirmPage(RoutingContext ctx) {
    String token = ctx.request().getParam("token");
    Page page = new Page(Lang.of(ctx), "confirm", "page_confirm");
    notifications
        .subscription(token)
        .onSuccess(
            s -> {
              if (s.isEmpty()) {
                send(
                    ctx,
                    404,
                    new Page(page.lang, "expired", "page_expired").text("page_expired_text"));
                return;
              }
              page.model.put("token", token);
              send(ctx, 200, page.text("page_confirm_text", s.get().address()));
            })
        .onFailure(ctx::fail);
  }

  private void confirm(RoutingContext ctx) {
    refuseCrossSite(ctx);
    String lang = Lang.of(ctx);
    notifications
        .confirm(ctx.request().getFormAttribute("token"))
        .onSuccess(
            s -> {
              if (s.isEmpty()) {
                send(ctx, 404, new Page(lang, "expired", "page_expired").text("page_expired_text"));
              } else {
                send(
                    ctx,
                    200,
                    new Page(lang, "confirmed", "page_confirmed")
                        .text("page_confirmed_text", s.get().address()));
              }
            })
        .onFailure(ctx::fail);
  }

  private void manage(RoutingContext ctx) {
    String token = ctx.request().getParam("token");
    String lang = Lang.of(ctx);
    notifications
        .subscription(token)
        .onSuccess(s -> showManaged(ctx, lang, token, s, false))
        .onFailure(ctx::fail);
  }

  private void save(RoutingContext ctx) {
    refuseCrossSite(ctx);
    MultiMap fields = ctx.request().formAttributes();
    String token = fields.get("token");
    String lang = Lang.of(ctx);
    List<String> chosen = fields.contains("all") ? List.of() : fields.getAll("components");
    notifications
        .update(token, choice(fields.get("lang"), lang), chosen)
        .onSuccess(s -> showManaged(ctx, lang, token, s, true))
        .onFailure(ctx::fail);
  }

  private void showManaged(
      RoutingContext ctx, String lang, String token, Optional<Subscription> s, boolean saved) {
    if (s.isEmpty() || !s.get().state().equals("active")) {
      send(ctx, 404, new Page(lang, "unknown", "page_unknown").text("page_unknown_text"));
      return;
    }
    Page page = new Page(lang, "manage", "page_manage").text("page_manage_text", s.get().address());
    page.model.put("token", token);
    page.model.put("saved", saved);
    page.choices(s.get().components(), s.get().lang());
    send(ctx, 200, page);
  }

  private void unsubscribePage(RoutingContext ctx) {
    Page page = new Page(Lang.of(ctx), "unsubscribe", "page_unsubscribe");
    page.model.put("token", Optional.ofNullable(ctx.request().getParam("token")).orElse(""));
    send(ctx, 200, page.text("page_unsubscribe_text"));
  }

  /**
   * One-click unsubscribe (RFC 8058): mail clients POST here from their own servers, without
   * cookies or an Origin, so the link's secret token alone decides. The answer is the same whether
   * or not it was subscribed.
   */
  private void unsubscribe(RoutingContext ctx) {
    String token = ctx.request().getParam("token");
    if (token == null) {
      token = ctx.request().getFormAttribute("token");
    }
    String lang = Lang.of(ctx);
    notifications
        .unsubscribe(token)
        .onSuccess(
            v ->
                send(
                    ctx,
                    200,
                    new Page(lang, "unsubscribed", "page_unsubscribed")
                        .text("page_unsubscribed_text")))
        .onFailure(ctx::fail);
  }

  private void refuseCrossSite(RoutingContext ctx) {
    SameSite.require(ctx, context.publicUrl());
  }

  private static String choice(String asked, String fallback) {
    return "en".equals(asked) || "ko".equals(asked) ? asked : fallback;
  }

  private void send(RoutingContext ctx, int status, Page page) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("Cache-Control", "no-store")
        .end(templates.render("subscription/page.ftlh", page.model));
  }

  /** One page's model. */
  private final class Page {
    final String lang;
    final Map<String, Object> model = new HashMap<>();
    private final MailWords words;

    Page(String lang, String view, String heading) {
      this.lang = lang;
      this.words = MailWords.of(lang);
      model.put("lang", lang);
      model.put("t", words.all());
      model.put("site", words.get("site"));
      model.put("view", view);
      model.put("heading", words.get(heading));
    }

    Page text(String key, Object... args) {
      model.put("text", words.get(key, args));
      return this;
    }

    /** The subscribe form, with a fresh token and its cookie. */
    void withForm(
        RoutingContext ctx, Optional<String> email, List<String> chosen, String choiceLang) {
      String nonce = FormTokens.random();
      ctx.response()
          .addCookie(
              Cookie.cookie(FORM_COOKIE, nonce)
                  .setPath("/")
                  .setHttpOnly(true)
                  .setSecure(Client.of(ctx).secure())
                  .setSameSite(CookieSameSite.STRICT)
                  .setMaxAge(FormTokens.VALID.toSeconds()));
      model.put("form_token", notifications.forms().issue(nonce));
      email.ifPresent(e -> model.put("email", e));
      choices(chosen, choiceLang);
    }

    /** The components to choose from: none chosen means all. */
    void choices(List<String> chosen, String choiceLang) {
      List<Map<String, Object>> components = new ArrayList<>();
      for (String id : notifications.componentIds()) {
        var name = context.components().get(id);
        components.add(
            Map.of(
                "id",
                id,
                "name",
                name == null ? id : name.in(lang),
                "checked",
                chosen.isEmpty() || chosen.contains(id)));
      }
      model.put("components", components);
      model.put("all_components", chosen.isEmpty());
      model.put("choice_lang", choiceLang);
    }
  }
}
