package io.statusdesk;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.LanguageHeader;
import io.vertx.ext.web.RoutingContext;

/**
 * The page language: {@code ?lang=} (remembered in a cookie), else the cookie, else the browser's
 * {@code Accept-Language}; English when nothing says Korean. Every page of every feature asks here,
 * so a visitor's choice holds across the status page, the tenant view and the subscription pages.
 */
public final class Lang {
  static final String COOKIE = "sd_lang";

  private Lang() {}

  public static String of(RoutingContext ctx) {
    String asked = ctx.request().getParam("lang");
    if ("en".equals(asked) || "ko".equals(asked)) {
      ctx.response()
          .addCookie(
              Cookie.cookie(COOKIE, asked)
                  .setPath("/")
                  .setMaxAge(31_536_000)
                  .setSameSite(CookieSameSite.LAX)
                  .setHttpOnly(true));
      return asked;
    }
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie != null && ("en".equals(cookie.getValue()) || "ko".equals(cookie.getValue()))) {
      return cookie.getValue();
    }
    for (LanguageHeader language : ctx.acceptableLanguages()) {
      if ("ko".equalsIgnoreCase(language.tag())) {
        return "ko";
      }
      if ("en".equalsIgnoreCase(language.tag())) {
        return "en";
      }
    }
    return "en";
  }

  /** For machine-readable documents: {@code ?lang=ko} or English, nothing remembered. */
  public static String query(RoutingContext ctx) {
    return "ko".equals(ctx.request().getParam("lang")) ? "ko" : "en";
  }
}
