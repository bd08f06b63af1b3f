package io.statusdesk.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every transport failure becomes one of the messages the README documents, never a class. */
class ProberDescribeTest {

  static Stream<Arguments> failures() throws Exception {
    return Stream.of(
        Arguments.of(dnsFailure(), "unknown host"),
        Arguments.of(new UnknownHostException("nowhere.example"), "unknown host"),
        Arguments.of(new VertxException(new UnknownHostException("x")), "unknown host"),
        Arguments.of(
            new ConnectException("Connection refused: /127.0.0.1:1"), "connection refused"),
        Arguments.of(
            new ConnectTimeoutException("connection timed out after 5000 ms"), "connect timeout"),
        Arguments.of(new NoRouteToHostException("No route to host"), "host unreachable"),
        Arguments.of(new ConnectException("Network is unreachable"), "host unreachable"),
        Arguments.of(new ConnectException("something else"), "cannot connect"),
        Arguments.of(new IOException("Connection reset by peer"), "connection reset"),
        Arguments.of(new HttpClosedException("Connection was closed"), "connection closed"),
        Arguments.of(new SSLHandshakeException("handshake"), "TLS handshake failed"),
        Arguments.of(
            new SSLHandshakeException("x") {
              {
                initCause(new CertPathValidatorException("untrusted"));
              }
            },
            "TLS certificate not trusted"),
        Arguments.of(
            new CertificateException("No subject alternative names"),
            "TLS certificate not trusted"),
        Arguments.of(
            new TooLongFrameException("HTTP header is larger than 8192 bytes"), "invalid response"),
        Arguments.of(new TimeoutException(), "timeout"),
        Arguments.of(new IllegalStateException("boom"), "probe failed"),
        Arguments.of(new RuntimeException((String) null), "probe failed"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("failures")
  void mapsToADocumentedMessage(Throwable failure, String message) {
    assertThat(Prober.describe(failure))
        .isEqualTo(message)
        .doesNotContain("Exception")
        .doesNotContain(".");
  }

  /** What Vert.x 5's resolver really reports for NXDOMAIN: a Netty cause under the failure. */
  private static Throwable dnsFailure() throws Exception {
    Class<?> type = Class.forName("io.netty.resolver.dns.DnsErrorCauseException");
    Method factory =
        type.getDeclaredMethod(
            "newStatic", String.class, DnsResponseCode.class, Class.class, String.class);
    factory.setAccessible(true);
    Throwable cause =
        (Throwable)
            factory.invoke(
                null,
                "Query failed with NXDOMAIN",
                DnsResponseCode.NXDOMAIN,
                ProberDescribeTest.class,
                "dnsFailure");
    return new VertxException("resolution failed", cause);
  }
}
