package io.statusdesk.app;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every endpoint a router serves, sub-routers included, as {@code "GET
 * /api/v1/incidents/{incident}"}: what the OpenAPI document must describe, and what the security
 * tests must classify.
 */
final class RouteTable {
  private RouteTable() {}

  static List<String> of(Router router) {
    TreeSet<String> out = new TreeSet<>();
    collect(router, "", out);
    return new ArrayList<>(out);
  }

  private static void collect(Router router, String prefix, Set<String> out) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (route.getSubRouter() != null) {
        String mount =
            path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        collect(route.getSubRouter(), prefix + mount, out);
      } else if (path != null && route.methods() != null && !route.methods().isEmpty()) {
        String openApiPath = (prefix + path).replaceAll(":([A-Za-z_]+)", "{$1}");
        route.methods().forEach(m -> out.add(m.name() + " " + openApiPath));
      }
    }
  }
}
