package io.statusdesk.notify;

import static io.statusdesk.Await.get;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.parsetools.RecordParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A mail relay that speaks TLS, as a private relay with its own CA would: either from the first
 * byte (smtps) or after STARTTLS, with a PKCS#12 key and certificate. GreenMail serves SMTPS only
 * with its built-in certificate, which names no host, and has no STARTTLS, so the TLS tests use
 * this small server: enough SMTP (EHLO, STARTTLS, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for the mail
 * client, recording each message and whether it came over TLS.
 */
final class TlsRelay implements AutoCloseable {
  /** A message as it arrived. */
  record Received(String data, boolean overTls) {}

  final List<Received> messages = new CopyOnWriteArrayList<>();
  private final NetServer server;
  private final boolean implicit;
  private final ServerSSLOptions tlsOptions;

  private TlsRelay(Vertx vertx, Path keyStore, String password, boolean implicit) throws Exception {
    this.implicit = implicit;
    PfxOptions key = new PfxOptions().setPath(keyStore.toString()).setPassword(password);
    this.tlsOptions = new ServerSSLOptions().setKeyCertOptions(key);
    this.server =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(implicit)
                .setKeyCertOptions(key));
    server.connectHandler(this::session);
    get(server.listen());
  }

  /** TLS from the first byte, as {@code smtps://} expects. */
  static TlsRelay smtps(Vertx vertx, Path keyStore, String password) throws Exception {
    return new TlsRelay(vertx, keyStore, password, true);
  }

  /** Plain at first, offering STARTTLS. */
  static TlsRelay startTls(Vertx vertx, Path keyStore, String password) throws Exception {
    return new TlsRelay(vertx, keyStore, password, false);
  }

  int port() {
    return server.actualPort();
  }

  private void session(NetSocket socket) {
    boolean[] tls = {implicit};
    boolean[] data = {false};
    StringBuilder message = new StringBuilder();
    RecordParser lines = RecordParser.newDelimited("\r\n");
    lines.handler(
        line -> {
          String text = line.toString();
          if (data[0]) {
            if (text.equals(".")) {
              data[0] = false;
              messages.add(new Received(message.toString(), tls[0]));
              message.setLength(0);
              socket.write("250 2.0.0 queued\r\n");
            } else {
              message.append(text.startsWith(".") ? text.substring(1) : text).append("\r\n");
            }
            return;
          }
          String verb = text.split(" ", 2)[0].toUpperCase(Locale.ROOT);
          switch (verb) {
            case "EHLO" ->
                socket.write(
                    "250-relay.test\r\n" + (tls[0] ? "" : "250-STARTTLS\r\n") + "250 8BITMIME\r\n");
            case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> socket.write("250 2.0.0 ok\r\n");
            case "STARTTLS" -> {
              if (tls[0]) {
                socket.write("503 5.5.1 TLS already\r\n");
              } else {
                // the handshake's first bytes follow this reply: TLS goes in before they are read
                socket.write("220 2.0.0 ready to start TLS\r\n");
                socket.upgradeToSsl(tlsOptions).onSuccess(v -> tls[0] = true);
              }
            }
            case "DATA" -> {
              data[0] = true;
              socket.write("354 end with <CRLF>.<CRLF>\r\n");
            }
            case "QUIT" -> socket.write("221 2.0.0 bye\r\n").onComplete(v -> socket.close());
            default -> socket.write("502 5.5.2 not implemented\r\n");
          }
        });
    socket.handler(lines);
    socket.write(Buffer.buffer("220 relay.test ESMTP\r\n"));
  }

  @Override
  public void close() throws Exception {
    get(server.close());
  }
}
