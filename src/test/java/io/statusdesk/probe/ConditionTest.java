package io.statusdesk.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {
  private static final String BODY =
      "{\"status\":\"UP\",\"version\":\"2.4.1\",\"data\":{\"items\":[{\"id\":7},{\"id\":9}],"
          + "\"empty\":[],\"count\":3},\"flag\":true}";
  private static final Observation HTTP =
      new Observation(
          true,
          200,
          Duration.ofMillis(420),
          ResponseBody.of(BODY),
          Duration.ofHours(400),
          null,
          null);
  private static final Observation REFUSED =
      Observation.failed(Duration.ofMillis(3), "connection refused");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [STATUS] == 200                 | pass |
          [STATUS] != 200                 | fail | [STATUS] (200) != 200
          [STATUS] < 300                  | pass |
          [STATUS] <= 200                 | pass |
          [STATUS] > 199                  | pass |
          [STATUS] >= 201                 | fail | [STATUS] (200) >= 201
          [STATUS] == any(200, 204)       | pass |
          [STATUS] == any(500, 503)       | fail | [STATUS] (200) == any(500, 503)
          [STATUS] == pat(2*)             | pass |
          [RESPONSE_TIME] < 500           | pass |
          [RESPONSE_TIME] < 400           | fail | [RESPONSE_TIME] (420) < 400
          [RESPONSE_TIME] < 1s            | pass |
          [BODY] == pat(*"status":"UP"*)  | pass |
          [BODY] != pat(*DOWN*)           | pass |
          [BODY].status == UP             | pass |
          [BODY].status == DOWN           | fail | [BODY].status (UP) == DOWN
          [BODY].version == pat(2.*)      | pass |
          [BODY].data.items[1].id == 9    | pass |
          [BODY].data.count > 2           | pass |
          [BODY].flag == true             | pass |
          [BODY].missing == x             | fail | [BODY].missing (INVALID) == x
          len([BODY].data.items) == 2     | pass |
          len([BODY].data.empty) == 0     | pass |
          len([BODY].status) == 2         | pass |
          len([BODY].data.items) > 5      | fail | len([BODY].data.items) (2) > 5
          has([BODY].data.count) == true  | pass |
          has([BODY].nope) == false       | pass |
          has([BODY].nope) == true        | fail | has([BODY].nope) (false) == true
          [CONNECTED] == true             | pass |
          [CERTIFICATE_EXPIRATION] > 336h | pass |
          [CERTIFICATE_EXPIRATION] > 720h | fail | [CERTIFICATE_EXPIRATION] (1440000000) > 720h
          """)
  void judgesAnHttpObservation(String text, String expected, String message) {
    Optional<String> failure = Condition.parse(text).failure(HTTP);
    assertThat(failure.isEmpty()).as("passes").isEqualTo(expected.equals("pass"));
    if (message != null) {
      assertThat(failure).contains(message);
    }
  }

  @ParameterizedTest(name = "{0} on a refused connection -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [CONNECTED] == true             | fail
          [CONNECTED] == false            | pass
          [STATUS] == 200                 | fail
          [BODY].status == UP             | fail
          [CERTIFICATE_EXPIRATION] > 1h   | fail
          [RESPONSE_TIME] < 100           | pass
          """)
  void judgesAFailedConnection(String text, String expected) {
    assertThat(Condition.parse(text).failure(REFUSED).isEmpty()).isEqualTo(expected.equals("pass"));
  }

  @ParameterizedTest(name = "''{0}'' is refused: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          [STATUS] 200                     | has no operator
          == 200                           | needs a value on both sides
          [STATUS] ==                      | needs a value on both sides
          [STATUSS] == 200                 | unknown placeholder [STATUSS]
          [STATUS].code == 200             | only [BODY] takes a JSON path
          [BODY]..x == 1                   | bad JSON path
          size([BODY]) == 2                | unknown function size()
          len(200) == 3                    | len() takes a placeholder
          [STATUS] < pat(2*)               | pat() and any() work only with == and !=
          200 == 200                       | compares two constants
          [STATUS == 200                   | unbalanced brackets
          """)
  void refusesBadSyntaxWithAClearMessage(String text, String message) {
    assertThatThrownBy(() -> Condition.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
    "500ms,500",
    "30s,30000",
    "5m,300000",
    "1h30m,5400000",
    "336h,1209600000",
    "1d,86400000"
  })
  void parsesGoDurations(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    assertThat(Durations.parse(Durations.format(Duration.ofMillis(millis))).toMillis())
        .isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource({"30", "5 m", "1m1h", "-5s", "1.5s", "s"})
  void refusesMalformedDurations(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("not a duration");
  }

  /** However many conditions read a body, it is parsed once per probe. */
  @Test
  void aBodyIsParsedOncePerProbe() {
    ResponseBody body = ResponseBody.of(BODY);
    Assertions.assertThat(body.json()).isSameAs(body.json());
    Assertions.assertThat(ResponseBody.of("not json").json()).isNull();
  }
}
