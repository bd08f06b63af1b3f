package io.statusdesk.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures mean "the database could not be reached" (503, retry) rather than a bug (500). */
class ErrorHandlerTest {
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new ConnectException("Connection refused"), true),
        // a postmaster killed mid-request resets the connection
        Arguments.of(new SocketException("Connection reset"), true),
        Arguments.of(new CompletionException(new SocketException("Connection reset")), true),
        Arguments.of(new PgException("terminating connection", "FATAL", "57P01", null), true),
        Arguments.of(new PgException("connection failure", "FATAL", "08006", null), true),
        Arguments.of(new PgException("duplicate key", "ERROR", "23505", null), false),
        Arguments.of(new IllegalStateException("a bug"), false));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void unreachableIsOnlyTheDatabaseBeingAway(Throwable failure, boolean unreachable) {
    assertThat(ErrorHandler.unreachable(failure)).isEqualTo(unreachable);
  }
}
