package io.statusdesk.notify;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.statusdesk.app.ServiceHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;

/** What the notification tests do as an operator: open incidents through the API. */
final class Operator {
  private final WebClient client;
  private final ServiceHarness harness;
  final String token;

  Operator(WebClient client, ServiceHarness harness) {
    this.client = client;
    this.harness = harness;
    this.token = harness.token("operator");
  }

  /** Mail through the test's GreenMail, from a status page's address. */
  static MailSettings mailTo(GreenMailExtension mail) {
    return MailSettings.parse(
        "smtp://127.0.0.1:" + mail.getSmtp().getPort() + "?starttls=off",
        "Helpdesk Status <status@status.example.com>");
  }

  /** Opens an incident (investigating) on one component; Korean words when given. */
  long openIncident(String component, String impact, String title, String titleKo)
      throws Exception {
    JsonObject body =
        new JsonObject()
            .put("title", title)
            .put("impacts", new JsonObject().put(component, impact))
            .put("started_at", Instant.now().minusSeconds(60).toString())
            .put("status", "investigating")
            .put("message", "Looking into it.");
    if (titleKo != null) {
      body.put("title_ko", titleKo).put("message_ko", "확인 중입니다.");
    }
    HttpResponse<Buffer> created =
        get(
            client
                .request(
                    HttpMethod.POST, harness.service.httpPort(), "127.0.0.1", "/api/v1/incidents")
                .bearerTokenAuthentication(token)
                .sendJsonObject(body));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getLong("id");
  }
}
