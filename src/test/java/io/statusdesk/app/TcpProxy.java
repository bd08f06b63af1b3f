package io.statusdesk.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A loopback TCP proxy a test can cut and restore, to stage a database outage. */
final class TcpProxy {
  private final Vertx vertx;
  private final String host;
  private final int port;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private NetServer server;

  TcpProxy(Vertx vertx, String host, int port) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
  }

  Future<Integer> start() {
    var client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(front -> {
      if (cut) {
        front.close();
        return;
      }
      front.pause();
      client.connect(port, host).onSuccess(back -> {
        open.add(front);
        open.add(back);
        front.handler(back::write);
        back.handler(front::write);
        front.closeHandler(v -> back.close());
        back.closeHandler(v -> front.close());
        front.resume();
      }).onFailure(e -> front.close());
    });
    return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
  }

  void cut() {
    cut = true;
    open.forEach(NetSocket::close);
    open.clear();
  }

  void restore() {
    cut = false;
  }
}
