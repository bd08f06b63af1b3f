package io.statusdesk;

import freemarker.cache.MruCacheStorage;
import io.vertx.core.Vertx;
import io.vertx.ext.web.common.WebEnvironment;
import io.vertx.ext.web.templ.freemarker.FreeMarkerTemplateEngine;

/**
 * The FreeMarker engine every HTML page is rendered with. Vert.x caches each page's compiled
 * template but gives FreeMarker no cache of its own, so the layout a page imports was read (out of
 * the jar, through Vert.x's file cache) and parsed again at every render: a console page per
 * request, the status page's every snapshot. Templates do not change while the service runs, so
 * imports are cached and never looked at again, as the pages themselves are (unless Vert.x web's
 * development mode is on, {@code VERTXWEB_ENVIRONMENT=dev}, where nothing is cached).
 */
public final class PageTemplates {
  private PageTemplates() {}

  public static FreeMarkerTemplateEngine engine(Vertx vertx) {
    FreeMarkerTemplateEngine engine = FreeMarkerTemplateEngine.create(vertx, "ftlh");
    if (!WebEnvironment.development()) {
      engine.unwrap().setCacheStorage(new MruCacheStorage(64, 256));
      engine.unwrap().setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
    }
    return engine;
  }
}
