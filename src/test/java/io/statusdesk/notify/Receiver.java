package io.statusdesk.notify;

import static io.statusdesk.Await.get;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP receiver standing in for a webhook consumer or a chat service: it records every
 * request, verifies Standard Webhooks signatures when it knows the secret, and answers the status
 * codes a test scripts (then {@link #fallback}), after {@link #delayMs}.
 */
public final class Receiver {
  /** One request as it arrived. */
  public record Request(String path, MultiMap headers, String body, boolean signed) {
    JsonObject json() {
      return new JsonObject(body);
    }

    public String id() {
      return headers.get("webhook-id");
    }
  }

  public final List<Request> requests = new CopyOnWriteArrayList<>();
  final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
  public final AtomicInteger fallback = new AtomicInteger(200);
  public volatile long delayMs;
  private final String secret;
  private final HttpServer server;
  private final Vertx vertx;

  private Receiver(Vertx vertx, String secret) throws Exception {
    this.vertx = vertx;
    this.secret = secret;
    this.server =
        get(
            vertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.body()
                            .onSuccess(
                                body -> {
                                  String text = body.toString();
                                  requests.add(
                                      new Request(
                                          req.path(),
                                          req.headers(),
                                          text,
                                          verified(req.headers(), text)));
                                  Integer scripted = script.poll();
                                  int status = scripted != null ? scripted : fallback.get();
                                  Runnable answer =
                                      () -> req.response().setStatusCode(status).end("ok");
                                  if (delayMs > 0) {
                                    vertx.setTimer(delayMs, id -> answer.run());
                                  } else {
                                    answer.run();
                                  }
                                }))
                .listen(0, "127.0.0.1"));
  }

  public static Receiver start(Vertx vertx, String secret) throws Exception {
    return new Receiver(vertx, secret);
  }

  private boolean verified(MultiMap headers, String body) {
    String id = headers.get("webhook-id");
    String timestamp = headers.get("webhook-timestamp");
    String signature = headers.get("webhook-signature");
    if (secret == null || id == null || timestamp == null || signature == null) {
      return false;
    }
    return WebhookSignature.verify(secret, id, Long.parseLong(timestamp), body, signature);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public void close() {
    vertx.executeBlocking(() -> get(server.close()));
  }
}
