package io.statusdesk.app;

import static io.statusdesk.Await.get;

import io.statusdesk.store.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy a test can cut (connections closed and refused), stall (connections kept
 * open but nothing forwarded, as a hung server behaves) and restore, to stage database outages.
 */
final class TcpProxy {
  /** A fresh database, and a URL that reaches it through a proxy the test controls. */
  record ProxiedDatabase(String url, String viaProxy, TcpProxy proxy) {}

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private final List<NetSocket> waiting = new CopyOnWriteArrayList<>();
  private volatile boolean cut;
  private volatile boolean stalled;
  private NetClient client;

  TcpProxy(Vertx vertx, String host, int port) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
  }

  static ProxiedDatabase database(Vertx vertx) throws Exception {
    return to(vertx, TestDatabase.fresh());
  }

  /** A proxy of its own to the database at {@code url} (one per instance of a cluster). */
  static ProxiedDatabase to(Vertx vertx, String url) throws Exception {
    String pgHostPort = url.substring(url.indexOf('@') + 1, url.lastIndexOf('/'));
    TcpProxy proxy =
        new TcpProxy(
            vertx,
            "127.0.0.1",
            Integer.parseInt(pgHostPort.substring(pgHostPort.indexOf(':') + 1)));
    String viaProxy = url.replace(pgHostPort, "127.0.0.1:" + get(proxy.start()));
    return new ProxiedDatabase(url, viaProxy, proxy);
  }

  Future<Integer> start() {
    client = vertx.createNetClient();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                front -> {
                  if (cut) {
                    front.close();
                    return;
                  }
                  front.pause();
                  if (stalled) {
                    waiting.add(front);
                  } else {
                    forward(front);
                  }
                });
    return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
  }

  private void forward(NetSocket front) {
    client
        .connect(port, host)
        .onSuccess(
            back -> {
              open.add(front);
              open.add(back);
              front.handler(back::write);
              back.handler(front::write);
              front.closeHandler(v -> back.close());
              back.closeHandler(v -> front.close());
              if (stalled) {
                back.pause();
              } else {
                front.resume();
              }
            })
        .onFailure(e -> front.close());
  }

  void cut() {
    cut = true;
    open.forEach(NetSocket::close);
    open.clear();
  }

  /** Stops forwarding in both directions; connections stay open, new ones wait. */
  void stall() {
    stalled = true;
    open.forEach(NetSocket::pause);
  }

  void restore() {
    cut = false;
    if (stalled) {
      stalled = false;
      open.forEach(NetSocket::resume);
      waiting.forEach(this::forward);
      waiting.clear();
    }
  }
}
