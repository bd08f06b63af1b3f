package io.statusdesk.probe;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Runs one probe without blocking: HTTP(S) through the core HTTP client (it exposes the peer
 * certificate and lets the body be capped), TCP and TLS through NetClient. Every probe answers
 * within its cell's timeout: a timer fails it and tears the connection down.
 */
final class Prober {
  private static final int BODY_CAP = 64 * 1024;
  static final int POOL_CLEANER_PERIOD_MS = 10_000;
  private static final String DNS_ERRORS = "io.netty.resolver.dns.Dns";

  private final Vertx vertx;
  private final Clock clock;
  private final Heartbeats heartbeats;
  private final Instant startedAt;
  private final HttpClientAgent http;
  private final HttpClientAgent httpInsecure;
  private final NetClient tcp;
  private final NetClient tls;
  private final NetClient tlsInsecure;

  /** Each HTTP cell's request, made once: parsing its URL and conditions per probe costs CPU. */
  private final IdentityHashMap<Cell, HttpPlan> plans = new IdentityHashMap<>();

  /** What an HTTP probe of a cell sends, and whether it reads the body. */
  private record HttpPlan(RequestOptions options, boolean secure, boolean wantsBody) {}

  Prober(Vertx vertx, Clock clock, Heartbeats heartbeats, int maxConnectionsPerHost) {
    this.vertx = vertx;
    this.clock = clock;
    this.heartbeats = heartbeats;
    this.startedAt = clock.instant();
    // The pool's cleaner closes connections idle past their keep-alive: looking every ten seconds
    // instead of every second wakes an event loop ten times less often for nothing.
    PoolOptions pool =
        new PoolOptions()
            .setHttp1MaxSize(maxConnectionsPerHost)
            .setMaxWaitQueueSize(-1)
            .setCleanerPeriod(POOL_CLEANER_PERIOD_MS);
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setVerifyHost(true), pool);
    this.httpInsecure =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTrustAll(true).setVerifyHost(false),
            pool);
    this.tcp = vertx.createNetClient(new NetClientOptions());
    this.tls =
        vertx.createNetClient(
            new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS"));
    this.tlsInsecure =
        vertx.createNetClient(
            new NetClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setHostnameVerificationAlgorithm(""));
  }

  Future<Observation> observe(Cell cell) {
    long started = System.nanoTime();
    long timeoutMs = cell.timing().timeout().toMillis();
    Promise<Observation> promise = Promise.promise();
    // Runs when the deadline passes first; each probe kind registers how to abandon itself.
    Runnable[] abandon = {() -> {}};
    long timer =
        vertx.setTimer(
            timeoutMs,
            id -> {
              if (promise.tryComplete(
                  Observation.failed(
                      elapsed(started),
                      "timeout after " + Durations.format(cell.timing().timeout())))) {
                abandon[0].run();
              }
            });
    Consumer<Runnable> onAbandon = r -> abandon[0] = r;
    Target target = cell.target();
    Future<Observation> attempt;
    if (target instanceof Target.Http h) {
      attempt = http(cell, h, started, timeoutMs, onAbandon);
    } else if (target instanceof Target.Tcp t) {
      attempt = connect(tcp, t.host(), t.port(), false, started, onAbandon);
    } else if (target instanceof Target.Tls t) {
      attempt =
          connect(
              t.insecureTls() ? tlsInsecure : tls, t.host(), t.port(), true, started, onAbandon);
    } else {
      attempt = Future.succeededFuture(heartbeat(cell, (Target.Heartbeat) target));
    }
    attempt.onComplete(
        ar -> {
          vertx.cancelTimer(timer);
          promise.tryComplete(
              ar.succeeded()
                  ? ar.result()
                  : Observation.failed(elapsed(started), describe(ar.cause())));
        });
    return promise.future();
  }

  private Future<Observation> http(
      Cell cell, Target.Http target, long started, long timeoutMs, Consumer<Runnable> onAbandon) {
    HttpPlan plan = plans.computeIfAbsent(cell, c -> plan(c, target, timeoutMs));
    boolean secure = plan.secure();
    boolean wantsBody = plan.wantsBody();
    // A copy: the client may keep what it is given while this probe runs.
    RequestOptions options = new RequestOptions(plan.options());
    HttpClientAgent client = target.insecureTls() ? httpInsecure : http;
    return client
        .request(options)
        .compose(
            request -> {
              onAbandon.accept(() -> request.reset());
              Future<HttpClientResponse> sent =
                  target.body() == null ? request.send() : request.send(target.body());
              return sent.compose(
                  response -> {
                    Instant notAfter = secure ? notAfter(request) : null;
                    Buffer body = Buffer.buffer();
                    response.handler(
                        chunk -> {
                          if (wantsBody && body.length() < BODY_CAP) {
                            body.appendBuffer(
                                chunk, 0, Math.min(chunk.length(), BODY_CAP - body.length()));
                          }
                        });
                    return response
                        .end()
                        .map(
                            v ->
                                new Observation(
                                    true,
                                    response.statusCode(),
                                    elapsed(started),
                                    wantsBody ? ResponseBody.of(body.toString()) : null,
                                    left(notAfter),
                                    notAfter,
                                    null));
                  });
            });
  }

  private static HttpPlan plan(Cell cell, Target.Http target, long timeoutMs) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(target.method()))
            .setAbsoluteURI(target.uri().toString())
            .setConnectTimeout(timeoutMs)
            .setFollowRedirects(false);
    target.headers().forEach(options::putHeader);
    return new HttpPlan(
        options,
        "https".equalsIgnoreCase(target.uri().getScheme()),
        uses(cell, Condition.Placeholder.BODY));
  }

  private Future<Observation> connect(
      NetClient client,
      String host,
      int port,
      boolean secure,
      long started,
      Consumer<Runnable> onAbandon) {
    // A connect cannot be cancelled; if it lands after the deadline the socket is closed at once.
    boolean[] abandoned = {false};
    onAbandon.accept(() -> abandoned[0] = true);
    return client
        .connect(port, host)
        .map(
            socket -> {
              Instant notAfter = secure && !abandoned[0] ? notAfter(socket) : null;
              socket.close();
              return new Observation(
                  true, null, elapsed(started), null, left(notAfter), notAfter, null);
            });
  }

  private Observation heartbeat(Cell cell, Target.Heartbeat target) {
    Instant now = clock.instant();
    Duration silence = Duration.between(heartbeats.last(cell.key(), startedAt), now);
    if (silence.compareTo(target.maxSilence()) > 0) {
      return Observation.failed(
          Duration.ZERO,
          "no heartbeat for "
              + Durations.format(Duration.ofSeconds(silence.toSeconds()))
              + " (max "
              + Durations.format(target.maxSilence())
              + ")");
    }
    return new Observation(true, null, Duration.ZERO, null, null, null, null);
  }

  private Instant notAfter(HttpClientRequest request) {
    try {
      return notAfter(request.connection().peerCertificates());
    } catch (SSLException e) {
      return null;
    }
  }

  private Instant notAfter(NetSocket socket) {
    try {
      return notAfter(socket.peerCertificates());
    } catch (SSLException e) {
      return null;
    }
  }

  /** The leaf certificate's expiry: every TLS probe reports it, for the expiry notice. */
  private static Instant notAfter(List<Certificate> chain) {
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      return null;
    }
    return leaf.getNotAfter().toInstant();
  }

  private Duration left(Instant notAfter) {
    return notAfter == null ? null : Duration.between(clock.instant(), notAfter);
  }

  private static boolean uses(Cell cell, Condition.Placeholder placeholder) {
    return cell.conditions().stream().anyMatch(c -> c.placeholders().contains(placeholder));
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /**
   * A short, host-free description: these messages reach operators, never the public page. The
   * README lists every one; an unknown failure says only "probe failed", never a class name.
   */
  static String describe(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    for (Throwable t : chain) {
      if (t instanceof CertificateException
          || t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException) {
        return "TLS certificate not trusted";
      }
    }
    for (Throwable t : chain) {
      // Netty's resolver wraps NXDOMAIN, SERVFAIL and DNS timeouts in its own Dns* exceptions.
      if (t instanceof UnknownHostException || t.getClass().getName().startsWith(DNS_ERRORS)) {
        return "unknown host";
      }
    }
    for (Throwable t : chain) {
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof NoRouteToHostException
          || message.contains("no route to host")
          || message.contains("network is unreachable")) {
        return "host unreachable";
      }
      if (t instanceof ConnectException || t instanceof ConnectTimeoutException) {
        if (message.contains("refused")) {
          return "connection refused";
        }
        return message.contains("timed out") || t instanceof ConnectTimeoutException
            ? "connect timeout"
            : "cannot connect";
      }
    }
    for (Throwable t : chain) {
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("connection reset")) {
        return "connection reset";
      }
      if (t instanceof HttpClosedException
          || t instanceof ClosedChannelException
          || message.contains("connection was closed")) {
        return "connection closed";
      }
      if (t instanceof SSLException) {
        return "TLS handshake failed";
      }
      if (t instanceof DecoderException || t instanceof TooLongFrameException) {
        return "invalid response";
      }
      if (t instanceof TimeoutException) {
        return "timeout";
      }
    }
    return "probe failed";
  }

  void close() {
    http.close();
    httpInsecure.close();
    tcp.close();
    tls.close();
    tlsInsecure.close();
  }
}
