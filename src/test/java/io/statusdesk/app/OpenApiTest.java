package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAPI document describes exactly the /api/v1 operations the router serves. */
@ExtendWith(VertxExtension.class)
class OpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");

  @Test
  void everyApiRouteIsDocumentedAndEveryDocumentedOperationExists(Vertx vertx) throws Exception {
    try (ServiceHarness harness =
        ServiceHarness.start(
            vertx,
            """
            components:
              - id: ticketing
                impact: major
                heartbeat: {max_silence: 1h, token: a-long-heartbeat-token}
            """,
            Map.of())) {
      JsonObject doc =
          get(WebClient.create(vertx)
                  .get(harness.service.httpPort(), "127.0.0.1", "/api/v1/openapi.json")
                  .send())
              .bodyAsJsonObject();
      assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
      Set<String> documented = new TreeSet<>();
      JsonObject paths = doc.getJsonObject("paths");
      for (String path : paths.fieldNames()) {
        for (String method : paths.getJsonObject(path).fieldNames()) {
          if (METHODS.contains(method)) {
            documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
            JsonObject op = paths.getJsonObject(path).getJsonObject(method);
            assertThat(op.getString("summary")).as(method + " " + path).isNotBlank();
            assertThat(op.getJsonObject("responses")).as(method + " " + path).isNotEmpty();
          }
        }
      }
      List<String> served =
          harness.service.routes().stream().filter(r -> r.contains(" /api/v1/")).toList();
      assertThat(served).isNotEmpty();
      assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
    }
  }
}
