package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.Localized;
import io.statusdesk.probe.Cell;
import io.statusdesk.probe.Impact;
import io.statusdesk.probe.Locations;
import io.statusdesk.probe.Quorum;
import io.statusdesk.probe.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChecksFileTest {
  private static final Map<String, String> ENV =
      Map.of(
          "HEALTH_TOKEN",
          "s3cret-token-value",
          "HB_TOKEN",
          "0123456789abcdef0123",
          "SHORT_TOKEN",
          "s3cret-short");

  private static ChecksConfig parse(String yaml) throws ConfigException {
    return ChecksFile.parse("checks.yaml", yaml, ENV::get);
  }

  private static String errorsOf(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return String.join("\n", e.errors());
    }
    throw new AssertionError("expected errors");
  }

  @Test
  void readsTheIssueExampleWithDefaultsAndOverrides() throws Exception {
    ChecksConfig config =
        parse(
            """
            timezone: Asia/Seoul
            defaults:
              interval: 30s
              timeout: 5s
              failure_threshold: 3
              success_threshold: 2
              degraded_ms: 2000
            components:
              - id: ticketing
                name: {en: Ticketing, ko: 티켓팅}
                group: Core
                impact: major
                interval: 15s
                cells:
                  - id: kr-1
                    url: https://kr-1.helpdesk.example/health
                    method: GET
                    headers: {Authorization: "Bearer ${HEALTH_TOKEN}"}
                    conditions: ["[STATUS] == 200", "[RESPONSE_TIME] < 1500", "[BODY].status == UP"]
                  - id: kr-2
                    url: tcp://mx.kr-2.helpdesk.example:25
                    conditions: ["[CONNECTED] == true"]
                  - id: web
                    url: tls://portal.helpdesk.example:443
                    timeout: 3s
                    conditions: ["[CERTIFICATE_EXPIRATION] > 336h"]
                  - id: inbound
                    heartbeat: {max_silence: 5m, token: "${HB_TOKEN}"}
              - id: widget
                name: Widget
                impact: partial
                url: http://widget.helpdesk.example/health
            """);
    assertThat(config.timezone().getId()).isEqualTo("Asia/Seoul");
    assertThat(config.probes().retentionDays()).isEqualTo(30);
    assertThat(config.components()).hasSize(2);
    var ticketing = config.components().get(0);
    assertThat(ticketing.nameKo()).isEqualTo("티켓팅");
    assertThat(ticketing.impact()).isEqualTo(Impact.MAJOR);
    Cell kr1 = ticketing.cells().get(0);
    assertThat(kr1.key()).isEqualTo("ticketing/kr-1");
    assertThat(kr1.timing().interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(kr1.timing().failureThreshold()).isEqualTo(3);
    assertThat(((Target.Http) kr1.target()).headers())
        .containsEntry("Authorization", "Bearer s3cret-token-value");
    assertThat(ticketing.cells().get(1).target())
        .isEqualTo(new Target.Tcp("mx.kr-2.helpdesk.example", 25));
    assertThat(ticketing.cells().get(2).timing().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(ticketing.cells().get(3).target())
        .isEqualTo(new Target.Heartbeat(Duration.ofMinutes(5), "0123456789abcdef0123"));
    Cell widget = config.components().get(1).cells().get(0);
    assertThat(widget.id()).isEqualTo("main");
    assertThat(widget.timing().interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(widget.conditions())
        .extracting(Object::toString)
        .containsExactly("[STATUS] >= 200", "[STATUS] < 300");
    assertThat(config.components().get(1).group()).isEqualTo(new Localized("Services", "서비스"));
  }

  /** A checks.yaml that must be refused, the line its error names, and what the error says. */
  private static Arguments bad(int line, String message, String yaml) {
    return Arguments.of(yaml, line, message);
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        bad(
            5,
            "unknown key 'intervall' in a component",
            """
            components:
              - id: a
                impact: major
                url: http://a/
                intervall: 5s\
            """),
        bad(
            1,
            "timezone 'Mars/Base' is not a known zone",
            """
            timezone: Mars/Base
            components:
              - {id: a, impact: major, url: http://a/}\
            """),
        bad(
            1,
            "unknown key 'colour' in the top level",
            """
            colour: red
            components:
              - {id: a, impact: major, url: http://a/}\
            """),
        bad(
            3,
            "duplicate component id 'a'",
            """
            components:
              - {id: a, impact: major, url: http://a/}
              - {id: a, impact: major, url: http://b/}\
            """),
        bad(
            6,
            "duplicate cell id 'x'",
            """
            components:
              - id: a
                impact: major
                cells:
                  - {id: x, url: http://a/}
                  - {id: x, url: http://b/}\
            """),
        bad(
            2,
            "'30 seconds' is not a duration",
            """
            components:
              - {id: a, impact: major, url: http://a/, interval: 30 seconds}\
            """),
        bad(
            2,
            "timeout must be above 0 and at most the interval (10s)",
            """
            components:
              - {id: a, impact: major, url: http://a/, interval: 10s, timeout: 20s}\
            """),
        bad(
            1,
            "interval must be at least 100ms",
            """
            defaults: {interval: 50ms}
            components:
              - {id: a, impact: major, url: http://a/}\
            """),
        bad(
            2,
            "url scheme must be http, https, tcp or tls",
            """
            components:
              - {id: a, impact: major, url: 'ftp://a/x'}\
            """),
        bad(
            2,
            "url is not valid",
            """
            components:
              - {id: a, impact: major, url: 'http://exa mple/'}\
            """),
        bad(
            2,
            "a tcp url needs a port",
            """
            components:
              - {id: a, impact: major, url: 'tcp://mx.example'}\
            """),
        bad(
            2,
            "a tcp cell needs conditions, e.g. [CONNECTED] == true",
            """
            components:
              - {id: a, impact: major, url: 'tcp://mx.example:25'}\
            """),
        bad(
            2,
            "a tls cell needs conditions",
            """
            components:
              - {id: a, impact: major, url: 'tls://mx.example:443'}\
            """),
        bad(
            5,
            "[STATUS] cannot be observed by a tcp probe",
            """
            components:
              - id: a
                impact: major
                url: 'tcp://mx.example:25'
                conditions: ['[STATUS] == 200']\
            """),
        bad(
            5,
            "[CERTIFICATE_EXPIRATION] cannot be observed by a http probe",
            """
            components:
              - id: a
                impact: major
                url: 'http://a/'
                conditions: ['[CERTIFICATE_EXPIRATION] > 1h']\
            """),
        bad(
            5,
            "has no operator",
            """
            components:
              - id: a
                impact: major
                url: 'http://a/'
                conditions: ['[STATUS] = 200']\
            """),
        bad(
            2,
            "component id 'A_b' must match [a-z0-9-]+",
            """
            components:
              - {id: A_b, impact: major, url: http://a/}\
            """),
        bad(
            2,
            "impact must be major or partial",
            """
            components:
              - {id: a, impact: huge, url: http://a/}\
            """),
        bad(
            2,
            "'impact' is missing",
            """
            components:
              - {id: a, url: http://a/}\
            """),
        bad(
            2,
            "needs 'cells' or a 'url'",
            """
            components:
              - {id: a, impact: major}\
            """),
        bad(
            2,
            "environment variable NOPE is not set",
            """
            components:
              - {id: a, impact: major, url: 'http://a/', headers: {X: '${NOPE}'}}\
            """),
        bad(
            2,
            "token must be 16 to 1024 characters",
            """
            components:
              - {id: a, impact: major, heartbeat: {max_silence: 5m, token: short}}\
            """),
        bad(
            2,
            "failure_threshold must be between 1 and 100",
            """
            components:
              - {id: a, impact: major, url: http://a/, failure_threshold: 0}\
            """),
        bad(
            1,
            "'components' must be a non-empty list",
            """
            components: []\
            """),
        bad(
            3,
            "expected ',' or '}'",
            """
            components:
              - {id: a, impact: major, url: http://a/
            """),
        bad(
            1,
            "location 'Tokyo' must match [a-z0-9-]{1,32}",
            """
            locations: [seoul, Tokyo]
            components:
              - {id: a, impact: major, url: http://a/}\
            """),
        bad(
            1,
            "duplicate location 'seoul'",
            """
            locations: [seoul, seoul]
            components:
              - {id: a, impact: major, url: http://a/}\
            """),
        bad(
            1,
            "'locations' must be a non-empty list",
            """
            locations: []
            components:
              - {id: a, impact: major, url: http://a/}\
            """),
        bad(
            2,
            "quorum must be majority or 1 to 2 (the locations listed), not 3",
            """
            locations: [a, b]
            quorum: 3
            components:
              - {id: a, impact: major, url: http://a/}\
            """),
        bad(
            1,
            "quorum must be majority or a number from 1 to 100",
            """
            quorum: most
            components:
              - {id: a, impact: major, url: http://a/}\
            """));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badFiles")
  void reportsEachErrorWithItsLine(String yaml, int line, String message) {
    String errors = errorsOf(yaml);
    assertThat(errors).contains("checks.yaml:" + line + ": ").contains(message);
    assertThat(errors.lines().filter(l -> l.contains(message)).findFirst().orElseThrow())
        .startsWith("checks.yaml:" + line + ": ");
  }

  @Test
  void collectsEveryErrorInOnePassAndNeverEchoesSecrets() {
    // every error sits on a value holding a secret: a message that quoted its value would leak
    String errors =
        errorsOf(
            """
            components:
              - id: a
                impact: major
                url: http://a/
                timeout: 1x
              - id: b
                impact: partial
                url: "http://b/health?key=${HEALTH_TOKEN} x"
              - id: c
                impact: partial
                url: "tcp://c.example:25"
                body: "token=${HEALTH_TOKEN}"
                conditions: ["[CONNECTED] == true"]
              - id: d
                impact: partial
                heartbeat: {max_silence: 5m, token: "${SHORT_TOKEN}"}
              - id: e
                impact: partial
                url: "ftp://${HEALTH_TOKEN}@e.example/"
            """);
    assertThat(errors.lines()).hasSize(5);
    assertThat(errors)
        .contains(
            "checks.yaml:5: timeout",
            "checks.yaml:8: component 'b'",
            "component 'c'",
            "component 'd'",
            "component 'e'");
    assertThat(errors).doesNotContain("s3cret");
  }

  @Test
  void locationsAndQuorumDefaultToAnyLocationAndAMajority() throws Exception {
    String components = "components:\n  - {id: a, impact: major, url: http://a/}\n";
    Locations any = parse(components).locations();
    assertThat(any.allows("anywhere")).isTrue();
    assertThat(any.quorum()).isEqualTo(Quorum.MAJORITY);
    Locations listed = parse("locations: [seoul, tokyo, frankfurt]\n" + components).locations();
    assertThat(listed.names()).containsExactly("seoul", "tokyo", "frankfurt");
    assertThat(listed.allows("tokyo")).isTrue();
    assertThat(listed.allows("paris")).isFalse();
    assertThat(listed.quorum().needed(3)).isEqualTo(2);
    Locations two =
        parse("locations: [seoul, tokyo, frankfurt]\nquorum: 2\n" + components).locations();
    assertThat(two.quorum()).isEqualTo(new Quorum(2));
  }

  @Test
  void envDefaultsApplyWhenTheVariableIsUnset() throws Exception {
    ChecksConfig config =
        parse(
            """
            components:
              - id: a
                impact: major
                url: "http://a/"
                headers: {X-Token: "${UNSET_VAR:-fallback}"}
            """);
    assertThat(((Target.Http) config.components().get(0).cells().get(0).target()).headers())
        .containsEntry("X-Token", "fallback");
  }

  @Test
  void theBundledChecksFileIsValid() throws Exception {
    ChecksConfig config = ChecksFile.load(Path.of("checks.yaml"), name -> null);
    assertThat(config.components())
        .extracting(c -> c.id())
        .contains(
            "ticketing",
            "email",
            "portal",
            "widget",
            "sns",
            "google-play",
            "bots",
            "translation",
            "alerts",
            "reports",
            "login");
  }
}
