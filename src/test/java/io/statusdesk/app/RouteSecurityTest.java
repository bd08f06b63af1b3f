package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.notify.MailSettings;
import io.statusdesk.statuspage.StatusPageConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route the service registers is classified here, by hand: public, or who may use it. A route
 * added without a line here fails the test until someone decides. Each protected route must refuse
 * an anonymous request (a console page sends the person to sign in, anything else answers 401) and
 * every role it does not list (403); a console form must refuse a request without its CSRF token
 * even from a role that may send it.
 */
@ExtendWith(VertxExtension.class)
class RouteSecurityTest {
  private static final Set<String> ALL = Set.of("operator", "billing", "viewer");
  private static final Set<String> OPS = Set.of("operator");
  private static final Set<String> BILLING = Set.of("billing");
  private static final Set<String> BOTH = Set.of("operator", "billing");
  private static final Set<String> ADMIN = Set.of();
  private static final Set<String> AGENTS = Set.of("agent");

  /** Who may use a route. */
  private record Rule(Kind kind, Set<String> roles) {}

  private enum Kind {
    /** anyone, no credential */
    PUBLIC,
    /**
     * anyone, but only with the proof of the page the form came from (a form token, the same site):
     * a bare POST is refused
     */
    FORM,
    /** an API token of one of the roles */
    API,
    /** a console session of one of the roles (or admin) */
    CONSOLE,
    /** a tenant's own sign-in session, or a heartbeat cell's own token */
    OWN_CREDENTIAL
  }

  private static final Map<String, Rule> ROUTES = new LinkedHashMap<>();

  private static void rule(String route, Kind kind, Set<String> roles) {
    ROUTES.put(route, new Rule(kind, roles));
  }

  private static void open(String... routes) {
    for (String r : routes) {
      rule(r, Kind.PUBLIC, Set.of());
    }
  }

  private static void form(String... routes) {
    for (String r : routes) {
      rule(r, Kind.FORM, Set.of());
    }
  }

  /** The public subscription pages: there only when mail can be sent. */
  private static final Set<String> WITH_MAIL =
      Set.of(
          "GET /subscribe",
          "POST /subscribe",
          "GET /subscribe/confirm",
          "POST /subscribe/confirm",
          "GET /subscription",
          "POST /subscription",
          "GET /unsubscribe",
          "POST /unsubscribe");

  static {
    // the public status page, its feeds, badges and documents, and the liveness probe
    open(
        "GET /",
        "GET /embed",
        "GET /sla",
        "GET /history",
        "GET /incidents/{incident}",
        "GET /state.json",
        "GET /history.rss",
        "GET /history.atom",
        "GET /maintenance.ics",
        "GET /static/statusdesk.css",
        "GET /static/refresh.js",
        "GET /api/v2/",
        "GET /api/v2/status.json",
        "GET /api/v2/summary.json",
        "GET /api/v2/components.json",
        "GET /api/v2/incidents.json",
        "GET /api/v2/incidents/unresolved.json",
        "GET /api/v2/scheduled-maintenances.json",
        "GET /api/v2/scheduled-maintenances/upcoming.json",
        "GET /api/v2/scheduled-maintenances/active.json",
        "GET /badge/status.svg",
        "GET /badge/{component}/status.svg",
        "GET /badge/{component}/{uptime}",
        "GET /api/v1/uptime/{component}",
        "GET /api/v1/openapi.json",
        "GET /health",
        "GET /ready");
    // signing in and out are where credentials come from
    open("GET /tenant/sso", "POST /tenant/sign-out");
    open("GET /admin/sign-in", "GET /admin/setup");
    form("POST /admin/sign-in", "POST /admin/setup");
    // subscribing: the form carries a signed token and must come from the page's own site; a
    // subscriber's own pages need the secret token of its link, and without one change nothing.
    // Mail clients send the one-click unsubscribe (RFC 8058) with neither cookie nor Origin: its
    // link's token alone decides, and an unknown one is answered the same
    open("GET /subscribe", "GET /subscribe/confirm", "GET /subscription", "GET /unsubscribe");
    open("POST /unsubscribe");
    form("POST /subscribe", "POST /subscribe/confirm", "POST /subscription");
    open("GET /admin/static/{file}");
    rule("GET /tenant", Kind.OWN_CREDENTIAL, Set.of());
    rule("GET /tenant/credits.csv", Kind.OWN_CREDENTIAL, Set.of());
    rule("POST /api/v1/heartbeats/{component}/{cell}", Kind.OWN_CREDENTIAL, Set.of());
    rule("GET /metrics", Kind.API, ALL);
    rule("GET /api/v1/instances", Kind.API, OPS);
    rule("POST /api/v1/results", Kind.API, AGENTS);
    rule("POST /tenant/contacts", Kind.OWN_CREDENTIAL, Set.of());
    rule("GET /api/v1/subscribers", Kind.API, OPS);
    rule("DELETE /api/v1/subscribers/{subscriber}", Kind.API, OPS);
    rule("POST /api/v1/subscribers/webhooks", Kind.API, OPS);
    rule("POST /api/v1/personal-data/export", Kind.API, OPS);
    rule("POST /api/v1/personal-data/erase", Kind.API, OPS);
    rule("GET /api/v1/notifications/dead-letters", Kind.API, OPS);
    rule("POST /api/v1/notifications/dead-letters/{delivery}/retry", Kind.API, OPS);

    rule("GET /api/v1/checks", Kind.API, ALL);
    rule("GET /api/v1/components", Kind.API, ALL);
    rule("PUT /api/v1/components/{component}/status", Kind.API, OPS);
    rule("DELETE /api/v1/components/{component}/status", Kind.API, OPS);
    rule("GET /api/v1/incidents", Kind.API, ALL);
    rule("POST /api/v1/incidents", Kind.API, OPS);
    rule("GET /api/v1/incidents/{incident}", Kind.API, ALL);
    rule("PATCH /api/v1/incidents/{incident}", Kind.API, OPS);
    rule("POST /api/v1/incidents/{incident}/updates", Kind.API, OPS);
    rule("PATCH /api/v1/incidents/{incident}/updates/{update}", Kind.API, OPS);
    rule("GET /api/v1/outages", Kind.API, ALL);
    rule("PATCH /api/v1/outages/{outage}", Kind.API, OPS);
    rule("GET /api/v1/maintenance", Kind.API, ALL);
    rule("POST /api/v1/maintenance", Kind.API, OPS);
    rule("GET /api/v1/maintenance/{window}", Kind.API, ALL);
    rule("PATCH /api/v1/maintenance/{window}", Kind.API, OPS);
    rule("DELETE /api/v1/maintenance/{window}", Kind.API, OPS);
    rule("GET /api/v1/audit", Kind.API, BOTH);
    rule("GET /api/v1/sla/policies", Kind.API, ALL);
    rule("POST /api/v1/sla/policies", Kind.API, OPS);
    rule("GET /api/v1/tenants/{tenant}", Kind.API, BOTH);
    rule("PUT /api/v1/tenants/{tenant}", Kind.API, BILLING);
    rule("POST /api/v1/tenants/import", Kind.API, BILLING);
    rule("GET /api/v1/tenants/{tenant}/credits", Kind.API, BOTH);
    rule("GET /api/v1/plans", Kind.API, BOTH);
    rule("POST /api/v1/plans/{plan}/prices", Kind.API, BILLING);
    rule("POST /api/v1/months/{month}/close", Kind.API, BOTH);
    rule("GET /api/v1/months/{month}/report", Kind.API, BOTH);
    rule("GET /api/v1/months/{month}/report.csv", Kind.API, BOTH);
    rule("GET /api/v1/ledger/entries", Kind.API, BOTH);
    rule("GET /api/v1/ledger/entries.csv", Kind.API, BOTH);
    rule("POST /api/v1/ledger/applications", Kind.API, BILLING);

    rule("GET /admin", Kind.CONSOLE, ALL);
    rule("POST /admin/sign-out", Kind.CONSOLE, ALL);
    rule("GET /admin/overview", Kind.CONSOLE, ALL);
    rule("GET /admin/overview/{component}/{cell}", Kind.CONSOLE, ALL);
    rule("GET /admin/overview/{component}/{cell}/latency.json", Kind.CONSOLE, ALL);
    rule("GET /admin/incidents", Kind.CONSOLE, ALL);
    rule("GET /admin/incidents/new", Kind.CONSOLE, OPS);
    rule("POST /admin/incidents", Kind.CONSOLE, OPS);
    rule("GET /admin/incidents/{incident}", Kind.CONSOLE, ALL);
    rule("POST /admin/incidents/{incident}/updates", Kind.CONSOLE, OPS);
    rule("POST /admin/incidents/{incident}/edit", Kind.CONSOLE, OPS);
    rule("GET /admin/outages", Kind.CONSOLE, ALL);
    rule("GET /admin/outages/{outage}", Kind.CONSOLE, ALL);
    rule("POST /admin/outages/{outage}", Kind.CONSOLE, OPS);
    rule("POST /admin/outages/{outage}/preview", Kind.CONSOLE, OPS);
    rule("GET /admin/maintenance", Kind.CONSOLE, ALL);
    rule("GET /admin/maintenance/new", Kind.CONSOLE, OPS);
    rule("POST /admin/maintenance/preview", Kind.CONSOLE, OPS);
    rule("POST /admin/maintenance", Kind.CONSOLE, OPS);
    rule("GET /admin/maintenance/{window}", Kind.CONSOLE, ALL);
    rule("POST /admin/maintenance/{window}", Kind.CONSOLE, OPS);
    rule("POST /admin/maintenance/{window}/end", Kind.CONSOLE, OPS);
    rule("POST /admin/maintenance/{window}/cancel", Kind.CONSOLE, OPS);
    rule("GET /admin/tenants", Kind.CONSOLE, BOTH);
    rule("GET /admin/tenants/import", Kind.CONSOLE, BILLING);
    rule("POST /admin/tenants/import", Kind.CONSOLE, BILLING);
    rule("GET /admin/tenants/{tenant}", Kind.CONSOLE, BOTH);
    rule("POST /admin/tenants/{tenant}", Kind.CONSOLE, BILLING);
    rule("GET /admin/months", Kind.CONSOLE, BOTH);
    rule("GET /admin/months/{month}", Kind.CONSOLE, BOTH);
    rule("POST /admin/months/{month}/close", Kind.CONSOLE, BOTH);
    rule("GET /admin/months/{month}/report.json", Kind.CONSOLE, BOTH);
    rule("GET /admin/months/{month}/report.csv", Kind.CONSOLE, BOTH);
    rule("GET /admin/ledger", Kind.CONSOLE, BOTH);
    rule("GET /admin/ledger/tenants/{tenant}", Kind.CONSOLE, BOTH);
    rule("GET /admin/sla", Kind.CONSOLE, ALL);
    rule("POST /admin/sla/check", Kind.CONSOLE, OPS);
    rule("POST /admin/sla", Kind.CONSOLE, OPS);
    rule("GET /admin/notifications", Kind.CONSOLE, OPS);
    rule("POST /admin/notifications/dead-letters/{delivery}/retry", Kind.CONSOLE, OPS);
    rule("GET /admin/notifications/subscribers", Kind.CONSOLE, OPS);
    rule("POST /admin/notifications/subscribers/{subscriber}/remove", Kind.CONSOLE, OPS);
    rule("POST /admin/notifications/export", Kind.CONSOLE, OPS);
    rule("POST /admin/notifications/erase", Kind.CONSOLE, OPS);
    rule("GET /admin/instances", Kind.CONSOLE, OPS);
    rule("GET /admin/audit", Kind.CONSOLE, BOTH);
    rule("GET /admin/audit.csv", Kind.CONSOLE, BOTH);
    rule("GET /admin/accounts", Kind.CONSOLE, ADMIN);
    rule("POST /admin/accounts", Kind.CONSOLE, ADMIN);
    rule("POST /admin/accounts/{account}/role", Kind.CONSOLE, ADMIN);
    rule("POST /admin/accounts/{account}/disable", Kind.CONSOLE, ADMIN);
    rule("POST /admin/accounts/{account}/enable", Kind.CONSOLE, ADMIN);
    rule("POST /admin/accounts/{account}/reset", Kind.CONSOLE, ADMIN);
    rule("GET /admin/tokens", Kind.CONSOLE, ADMIN);
    rule("POST /admin/tokens", Kind.CONSOLE, ADMIN);
    rule("POST /admin/tokens/{token}/revoke", Kind.CONSOLE, ADMIN);
  }

  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  private static final Map<String, String> PARAMS =
      Map.ofEntries(
          Map.entry("{incident}", "1"),
          Map.entry("{update}", "1"),
          Map.entry("{outage}", "1"),
          Map.entry("{window}", "1"),
          Map.entry("{tenant}", "acme"),
          Map.entry("{month}", "2026-01"),
          Map.entry("{account}", "1"),
          Map.entry("{token}", "viewer-test"),
          Map.entry("{component}", "ticketing"),
          Map.entry("{cell}", "main"),
          Map.entry("{file}", "console.css"),
          Map.entry("{plan}", "earth"),
          Map.entry("{subscriber}", "1"),
          Map.entry("{delivery}", "1"),
          Map.entry("{uptime}", "uptime-30d.svg"));

  private static String path(String route) {
    String path = route.substring(route.indexOf(' ') + 1);
    for (Map.Entry<String, String> p : PARAMS.entrySet()) {
      path = path.replace(p.getKey(), p.getValue());
    }
    return path;
  }

  @Test
  void everyRouteIsClassifiedAndRefusesAnonymousAndWrongRoles(Vertx vertx) throws Exception {
    check(vertx, Optional.empty());
  }

  /** With mail, the subscription pages are served too: the same rules hold for them. */
  @Test
  void withMailTheSubscriptionPagesAreClassifiedAndCheckedToo(Vertx vertx) throws Exception {
    // nothing here sends mail: the relay is never reached
    check(vertx, Optional.of(MailSettings.parse("smtp://127.0.0.1:25", "status@example.com")));
  }

  private static void check(Vertx vertx, Optional<MailSettings> mail) throws Exception {
    // requests come "through a proxy" from ever new addresses, so the many refusals here are never
    // throttled as one address guessing
    try (ServiceHarness harness =
        ServiceHarness.start(
            vertx,
            ConsoleSignInTest.CHECKS,
            Map.of(),
            StatusPageConfig.defaults(),
            TrustedProxies.parse("127.0.0.0/8"),
            mail)) {
      List<String> routes = harness.service.routes();
      assertThat(routes)
          .as("routes not classified in this test: decide who may use them")
          .allMatch(ROUTES::containsKey);
      assertThat(ROUTES.keySet())
          .as("classified routes that no longer exist")
          .allMatch(r -> routes.contains(r) || (mail.isEmpty() && WITH_MAIL.contains(r)));
      if (mail.isPresent()) {
        assertThat(routes).containsAll(WITH_MAIL);
      }

      WebClient client = ConsoleUser.client(harness);
      Map<String, String> tokens = new LinkedHashMap<>();
      Map<String, ConsoleUser> people = new LinkedHashMap<>();
      for (String role : ALL) {
        tokens.put(role, harness.token(role));
        people.put(role, ConsoleUser.signedIn(harness, role + "@example.com", role));
      }
      tokens.put("agent", harness.token("agent"));
      people.put("admin", ConsoleUser.signedIn(harness, "root@example.com", "admin"));
      ConsoleUser anonymous = ConsoleUser.anonymous(harness, "nobody@example.com");

      for (String route : routes) {
        Rule rule = ROUTES.get(route);
        HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
        String path = path(route);
        switch (rule.kind()) {
          case PUBLIC -> {
            HttpResponse<Buffer> r = anonymous.send(method, path);
            assertThat(r.statusCode()).as(route).isNotIn(401, 403);
          }
          case FORM -> {
            HttpResponse<Buffer> r = anonymous.send(method, path);
            assertThat(r.statusCode()).as(route + " without its form's proof").isEqualTo(403);
          }
          case OWN_CREDENTIAL -> {
            HttpResponse<Buffer> r = api(client, harness, method, path, null);
            assertThat(r.statusCode()).as(route + " anonymous").isEqualTo(401);
          }
          case API -> {
            assertThat(api(client, harness, method, path, null).statusCode())
                .as(route + " anonymous")
                .isEqualTo(401);
            for (String role : tokens.keySet()) {
              int status = api(client, harness, method, path, tokens.get(role)).statusCode();
              if (rule.roles().contains(role)) {
                assertThat(status).as(route + " as " + role).isNotIn(401, 403);
              } else {
                assertThat(status).as(route + " as " + role).isEqualTo(403);
              }
            }
          }
          case CONSOLE -> {
            HttpResponse<Buffer> r = anonymous.send(method, path);
            assertThat(r.statusCode()).as(route + " anonymous").isEqualTo(303);
            assertThat(r.getHeader("Location")).as(route).startsWith("/admin/sign-in");
            for (Map.Entry<String, ConsoleUser> person : people.entrySet()) {
              boolean may =
                  person.getKey().equals("admin") || rule.roles().contains(person.getKey());
              HttpResponse<Buffer> answer = person.getValue().send(method, path);
              if (!may) {
                assertThat(answer.statusCode()).as(route + " as " + person.getKey()).isEqualTo(403);
              } else if (HttpMethod.GET.equals(method)) {
                assertThat(answer.statusCode())
                    .as(route + " as " + person.getKey())
                    .isNotIn(401, 403);
                assertThat(
                        answer.getHeader("Location") == null
                            || !answer.getHeader("Location").startsWith("/admin/sign-in"))
                    .as(route + " as " + person.getKey())
                    .isTrue();
              } else {
                // a role that may send the form, but without its token: refused all the same
                assertThat(answer.statusCode()).as(route + " without CSRF").isEqualTo(403);
                assertThat(answer.bodyAsString()).as(route).contains("this form is out of date");
              }
            }
          }
        }
      }
      // the people are all still signed in: no route was let through to sign anyone out
      assertThat(harness.count("SELECT count(*) FROM console_sessions")).isEqualTo(4);
    }
  }

  private static HttpResponse<Buffer> api(
      WebClient client, ServiceHarness harness, HttpMethod method, String path, String token)
      throws Exception {
    HttpRequest<Buffer> request =
        client.request(method, harness.service.httpPort(), "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    int n = ADDRESSES.incrementAndGet();
    request.putHeader("X-Forwarded-For", "198.51." + (n / 250) + "." + (n % 250 + 1));
    return get(request.send());
  }
}
