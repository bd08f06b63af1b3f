package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.notify.Dispatcher;
import io.statusdesk.notify.Receiver;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's notification and instance pages over HTTP: dead letters shown without a webhook's
 * secret path, newest first and paged, retried (and then delivered) by operators only and only with
 * the page's CSRF token; subscribers listed and removed; an address exported as the API exports it
 * and erased after a confirmation, leaving only its hash; hostile input changing nothing; the
 * instances sharing the work.
 */
@ExtendWith(VertxExtension.class)
class ConsoleNotificationsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SECRET_PATH = "/hooks/s3cr3t-path-token";

  private ServiceHarness harness;
  private Receiver receiver;
  private String token;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    receiver = Receiver.start(vertx, null);
    harness = ServiceHarness.start(vertx, ConsoleSignInTest.CHECKS, Map.of());
    token = harness.token("operator");
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
    receiver.close();
  }

  private HttpResponse<Buffer> api(HttpMethod method, String path, JsonObject body)
      throws Exception {
    var request =
        WebClient.create(harness.vertx)
            .request(method, harness.service.httpPort(), "127.0.0.1", path)
            .bearerTokenAuthentication(token);
    return get(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** A webhook subscriber at the receiver, whose URL holds a secret path. */
  private void webhookSubscriber() throws Exception {
    HttpResponse<Buffer> added =
        api(
            HttpMethod.POST,
            "/api/v1/subscribers/webhooks",
            new JsonObject().put("url", receiver.url(SECRET_PATH)));
    assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(201);
  }

  private long dead() throws Exception {
    return harness.count("SELECT count(*) FROM notify_deliveries WHERE state = 'dead'");
  }

  private long changes() throws Exception {
    return harness.count(
        "SELECT (SELECT count(*) FROM notify_subscribers) + (SELECT count(*) FROM notify_contacts)"
            + " * 1000 + (SELECT count(*) FROM notify_suppressions) * 1000000"
            + " + (SELECT count(*) FROM audit_log) * 1000000000");
  }

  @Test
  void deadLettersAreShownSafelyNewestFirstAndARetryDeliversThem() throws Exception {
    ConsoleUser op = ConsoleUser.signedIn(harness, "op@example.com", "operator");
    ConsoleUser viewer = ConsoleUser.signedIn(harness, "view@example.com", "viewer");
    receiver.fallback.set(400);
    webhookSubscriber();
    HttpResponse<Buffer> opened =
        op.submit(
            "/admin/incidents/new",
            "/admin/incidents",
            Map.of(
                "title", "Tickets are slow",
                "impact_ticketing", "degraded_performance",
                "started_at", ConsolePagesTest.LOCAL.format(harness.clock.instant()),
                "status", "investigating",
                "message", "Looking into it"));
    assertThat(opened.statusCode()).as(opened.bodyAsString()).isEqualTo(303);
    await().atMost(WAIT).until(() -> dead() >= 1);
    long id = harness.count("SELECT min(id) FROM notify_deliveries WHERE state = 'dead'");

    String page = op.get("/admin/notifications").bodyAsString();
    assertThat(page)
        .contains("id=\"dead-" + id + "\"", "HTTP 400", "127.0.0.1", "incident.opened")
        .contains("id=\"count-dead\">" + dead() + "<", "id=\"count-subscribers\">1<")
        .doesNotContain("s3cr3t");
    assertThat(op.get("/admin/notifications?lang=ko").bodyAsString()).contains("다시 보내기");
    // the overview shows the counts to everyone, the way there only to those who may go
    assertThat(viewer.get("/admin/overview").bodyAsString())
        .contains("id=\"overview-dead\">" + dead() + "<")
        .doesNotContain("href=\"/admin/notifications\"");
    assertThat(op.get("/admin/overview").bodyAsString()).contains("href=\"/admin/notifications\"");

    // a viewer may neither see nor retry; an operator's form without its token is refused
    assertThat(viewer.get("/admin/notifications").statusCode()).isEqualTo(403);
    String retry = "/admin/notifications/dead-letters/" + id + "/retry";
    assertThat(viewer.submit("/admin/overview", retry, Map.of()).statusCode()).isEqualTo(403);
    assertThat(op.post(retry, null, Map.of()).statusCode()).isEqualTo(403);
    assertThat(op.post(retry, "not-the-token", Map.of()).statusCode()).isEqualTo(403);
    assertThat(harness.text("SELECT state FROM notify_deliveries WHERE id = " + id))
        .isEqualTo("dead");
    // unknown or malformed ids: 404, nothing changes
    long before = changes();
    assertThat(
            op.submit(
                    "/admin/notifications",
                    "/admin/notifications/dead-letters/99999/retry",
                    Map.of())
                .statusCode())
        .isEqualTo(404);
    assertThat(
            op.submit(
                    "/admin/notifications", "/admin/notifications/dead-letters/x1/retry", Map.of())
                .statusCode())
        .isEqualTo(404);
    assertThat(changes()).isEqualTo(before);

    // retried by the operator: pending again, then delivered, and audited
    receiver.fallback.set(200);
    int requests = receiver.requests.size();
    HttpResponse<Buffer> retried = op.submit("/admin/notifications", retry, Map.of());
    assertThat(retried.statusCode()).isEqualTo(303);
    assertThat(retried.getHeader("Location")).contains("done=dead_letter_retried");
    // at once: the retry wakes the dispatchers, which otherwise sleep up to a minute
    await()
        .atMost(Dispatcher.Options.standard().poll().dividedBy(3))
        .until(
            () ->
                "sent"
                    .equals(harness.text("SELECT state FROM notify_deliveries WHERE id = " + id)));
    assertThat(receiver.requests).hasSizeGreaterThan(requests);
    assertThat(
            harness.text(
                "SELECT actor FROM audit_log WHERE action = 'notification.retry' AND entity_id = '"
                    + id
                    + "'"))
        .contains("op@example.com");

    // newest first, 50 a page: copies of the dead letter under other recipients
    harness.execute(
        "INSERT INTO notify_deliveries (event_id, channel, recipient, lang, state, attempts,"
            + " next_attempt_at, last_error, created_at)"
            + " SELECT event_id, 'webhook', 'r:copy-' || n, 'en', 'dead', 3, now(), 'HTTP 500',"
            + " now() FROM notify_deliveries, generate_series(1, 60) n WHERE id = "
            + id);
    long newest = harness.count("SELECT max(id) FROM notify_deliveries");
    String first = op.get("/admin/notifications").bodyAsString();
    assertThat(first.indexOf("id=\"dead-" + newest + "\""))
        .isPositive()
        .isLessThan(first.indexOf("id=\"dead-" + (newest - 1) + "\""));
    assertThat(first)
        .contains("copy-60 ", "copy-11 ", "id=\"next-page\"")
        .doesNotContain("copy-10 ");
    String next = first.replaceAll("(?s).*href=\"(/admin/notifications\\?before=\\d+)\".*", "$1");
    assertThat(op.get(next).bodyAsString())
        .contains("copy-10", "copy-1 ")
        .doesNotContain("copy-60");
  }

  @Test
  void subscribersAreListedAndRemovedAndAnAddressIsExportedAndErased() throws Exception {
    ConsoleUser op = ConsoleUser.signedIn(harness, "op@example.com", "operator");
    ConsoleUser viewer = ConsoleUser.signedIn(harness, "view@example.com", "viewer");
    harness.execute(
        "INSERT INTO notify_subscribers (kind, address, lang, components, state, token,"
            + " created_at, confirmed_at) VALUES"
            + " ('email', 'ann@example.com', 'ko', '{ticketing}', 'active', 'a', now(), now()),"
            + " ('email', 'bob@example.com', 'en', '{}', 'pending', 'b', now(), NULL)");
    harness.execute(
        "INSERT INTO notify_contacts (tenant_id, address, lang, created_at)"
            + " VALUES ('acme', 'ann@example.com', 'en', now())");
    webhookSubscriber();

    String list = op.get("/admin/notifications/subscribers").bodyAsString();
    assertThat(list)
        .contains("ann@example.com", "bob@example.com", "confirmed", "waiting for confirmation")
        .contains("127.0.0.1")
        .doesNotContain("s3cr3t");
    assertThat(op.get("/admin/notifications/subscribers?kind=webhook").bodyAsString())
        .contains("127.0.0.1")
        .doesNotContain("ann@example.com");
    assertThat(viewer.get("/admin/notifications/subscribers").statusCode()).isEqualTo(403);

    // export: the API's JSON, as a download; an address with nothing kept is told so
    HttpResponse<Buffer> export =
        op.submit(
            "/admin/notifications",
            "/admin/notifications/export",
            Map.of("address", " Ann@Example.com "));
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.getHeader("Content-Type")).startsWith("application/json");
    assertThat(export.getHeader("Content-Disposition")).startsWith("attachment");
    JsonObject viaApi =
        api(
                HttpMethod.POST,
                "/api/v1/personal-data/export",
                new JsonObject().put("address", "ann@example.com"))
            .bodyAsJsonObject();
    assertThat(export.bodyAsJsonObject()).isEqualTo(viaApi);
    assertThat(viaApi.getJsonArray("subscriptions")).hasSize(1);
    assertThat(
            op.submit(
                    "/admin/notifications",
                    "/admin/notifications/export",
                    Map.of("address", "nobody@example.com"))
                .bodyAsString())
        .contains("Nothing is stored for this address.");

    // hostile input: refused with a message naming the field, escaped, nothing changed
    long before = changes();
    for (String bad :
        new String[] {
          "not-an-address", "a".repeat(5000) + "@example.com", "<script>alert(1)</script>@x.io", ""
        }) {
      for (String action : new String[] {"export", "erase"}) {
        HttpResponse<Buffer> refused =
            op.submit(
                "/admin/notifications",
                "/admin/notifications/" + action,
                Map.of("address", bad, "confirmed", "1"));
        assertThat(refused.statusCode()).as(action + " " + bad.length()).isEqualTo(400);
        assertThat(refused.bodyAsString())
            .contains("id=\"form-error\">address: ")
            .doesNotContain("<script>alert");
      }
    }
    assertThat(
            op.submit(
                    "/admin/notifications",
                    "/admin/notifications/erase",
                    Map.of("address", "x".repeat(70_000)))
                .statusCode())
        .isEqualTo(413);
    // a viewer may not erase, even with a token of their own; without a token nobody may
    assertThat(
            viewer
                .submit(
                    "/admin/overview",
                    "/admin/notifications/erase",
                    Map.of("address", "ann@example.com", "confirmed", "1"))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            op.post(
                    "/admin/notifications/erase",
                    null,
                    Map.of("address", "ann@example.com", "confirmed", "1"))
                .statusCode())
        .isEqualTo(403);
    assertThat(changes()).isEqualTo(before);

    // erase: first what would go, then, confirmed, gone but for the hash
    String confirm =
        op.submit(
                "/admin/notifications",
                "/admin/notifications/erase",
                Map.of("address", "ann@example.com"))
            .bodyAsString();
    assertThat(confirm).contains("id=\"confirm-erase\"", "id=\"erase-confirmed\"");
    assertThat(changes()).isEqualTo(before);
    HttpResponse<Buffer> erased =
        op.submit(
            "/admin/notifications",
            "/admin/notifications/erase",
            Map.of("address", "ann@example.com", "confirmed", "1"));
    assertThat(erased.statusCode()).isEqualTo(303);
    assertThat(erased.getHeader("Location")).contains("done=personal_data_erased");
    assertThat(
            harness.count(
                "SELECT (SELECT count(*) FROM notify_subscribers WHERE address = 'ann@example.com')"
                    + " + (SELECT count(*) FROM notify_contacts WHERE address = 'ann@example.com')"
                    + " + (SELECT count(*) FROM audit_log a WHERE a::text LIKE '%ann@%')"))
        .isZero();
    assertThat(
            harness.count(
                "SELECT count(*) FROM notify_suppressions"
                    + " WHERE address_hash = sha256('ann@example.com'::bytea)"))
        .isEqualTo(1);
    assertThat(harness.count("SELECT count(*) FROM audit_log WHERE action = 'personal_data.erase'"))
        .isEqualTo(1);
    assertThat(
            op.submit(
                    "/admin/notifications",
                    "/admin/notifications/erase",
                    Map.of("address", "ann@example.com"))
                .bodyAsString())
        .contains("only the hashed suppression entry")
        .doesNotContain("id=\"confirm-erase\"");

    // removing a subscriber; an unknown one is 404
    long bob = harness.count("SELECT id FROM notify_subscribers WHERE address = 'bob@example.com'");
    HttpResponse<Buffer> removed =
        op.submit(
            "/admin/notifications/subscribers",
            "/admin/notifications/subscribers/" + bob + "/remove",
            Map.of());
    assertThat(removed.statusCode()).isEqualTo(303);
    assertThat(harness.count("SELECT count(*) FROM notify_subscribers WHERE id = " + bob)).isZero();
    assertThat(
            op.submit(
                    "/admin/notifications/subscribers",
                    "/admin/notifications/subscribers/" + bob + "/remove",
                    Map.of())
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void theInstancesPageShowsEachMemberAndTheSingletonsItRuns() throws Exception {
    // host names and process ids: operators', as the API's
    ConsoleUser viewer = ConsoleUser.signedIn(harness, "view@example.com", "viewer");
    assertThat(viewer.get("/admin/instances").statusCode()).isEqualTo(403);
    ConsoleUser operator = ConsoleUser.signedIn(harness, "ops@example.com", "operator");
    await().atMost(WAIT).until(() -> !harness.service.singletonsHere().isEmpty());
    String me = harness.service.memberId();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(operator.get("/admin/instances").bodyAsString())
                    .contains("id=\"member-" + me + "\"", ">test<", "live")
                    .contains(harness.service.singletonsHere().get(0)));
    assertThat(operator.get("/admin/instances?lang=ko").bodyAsString()).contains("살아 있음");
    JsonObject instances = api(HttpMethod.GET, "/api/v1/instances", null).bodyAsJsonObject();
    assertThat(instances.getJsonArray("instances").getJsonObject(0).getJsonArray("singletons"))
        .contains(harness.service.singletonsHere().get(0));
  }
}
