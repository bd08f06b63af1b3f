package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.PriceList;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every worked case of the shared sla-vectors.json (copied unchanged into test resources). */
class SlaVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode file;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = SlaVectorsTest.class.getResourceAsStream("/sla-vectors.json")) {
      file = JSON.readTree(in);
    }
  }

  static Stream<Arguments> cases() throws Exception {
    load();
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : (ArrayNode) file.get("cases")) {
      out.add(Arguments.of(c.get("name").asText(), c));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theJavaApiGivesTheExpectedFigures(String name, JsonNode c) {
    ObjectNode single = JSON.createObjectNode();
    single.putArray("cases").add(c);
    JsonNode actual =
        reparse(SlaCaseFile.evaluate(single, PriceList.of(Plans.standard())).get(name));
    assertThat(actual).isEqualTo(c.get("expected"));
  }

  /** Compares values, not Jackson's int-versus-long node types. */
  private static JsonNode reparse(JsonNode node) {
    try {
      return JSON.readTree(node.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theCliGivesTheExpectedFiguresForEveryCase() throws Exception {
    Path path = Path.of(SlaVectorsTest.class.getResource("/sla-vectors.json").toURI());
    String printed = MainAccess.run("sla", "evaluate", path.toString());
    JsonNode all = JSON.readTree(printed);
    assertThat(all.size()).isEqualTo(file.get("cases").size()).isGreaterThan(10);
    for (JsonNode c : file.get("cases")) {
      assertThat(all.get(c.get("name").asText()))
          .as(c.get("name").asText())
          .isEqualTo(c.get("expected"));
    }
  }
}
