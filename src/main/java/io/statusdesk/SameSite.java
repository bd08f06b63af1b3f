package io.statusdesk;

import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a form post came from this site's own pages: its {@code Origin} (or, when a browser sent
 * none, its {@code Referer}) must be this site as the request reached it, or as its public address
 * says. Browsers set both headers themselves, so another site cannot make a visitor's browser post
 * here in its name.
 */
public final class SameSite {
  private SameSite() {}

  /** Refuses (403) a post another site's page made the browser send. */
  public static void require(RoutingContext ctx, String publicUrl) {
    String from = ctx.request().getHeader("Origin");
    if (from == null || from.equals("null")) {
      from = origin(ctx.request().getHeader("Referer"));
    }
    String own =
        (Client.of(ctx).secure() ? "https://" : "http://") + ctx.request().getHeader("Host");
    if (from == null || !(from.equalsIgnoreCase(own) || from.equalsIgnoreCase(origin(publicUrl)))) {
      throw DomainException.forbidden("this form can only be sent from this site's own pages");
    }
  }

  private static String origin(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      return uri.getScheme().toLowerCase(Locale.ROOT)
          + "://"
          + uri.getHost()
          + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
