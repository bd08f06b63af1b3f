package io.statusdesk.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A mail relay that speaks TLS, as a private relay with its own CA would: either from the first
 * byte (smtps) or after STARTTLS, with a PKCS#12 key and certificate. GreenMail serves SMTPS only
 * with its built-in certificate, which names no host, and has no STARTTLS, so the TLS tests use
 * this small server: enough SMTP (EHLO, STARTTLS, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for the mail
 * client, recording each message and whether it came over TLS. Plain blocking sockets on their own
 * threads, so STARTTLS switches to TLS exactly after its reply, before another byte is read.
 */
final class TlsRelay implements AutoCloseable {
  /** A message as it arrived. */
  record Received(String data, boolean overTls) {}

  final List<Received> messages = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final SSLContext tls;
  private final boolean implicit;

  private TlsRelay(Path keyStore, String password, boolean implicit) throws Exception {
    this.implicit = implicit;
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, password.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password.toCharArray());
    this.tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "tls-relay");
    accept.setDaemon(true);
    accept.start();
  }

  /** TLS from the first byte, as {@code smtps://} expects. */
  static TlsRelay smtps(Path keyStore, String password) throws Exception {
    return new TlsRelay(keyStore, password, true);
  }

  /** Plain at first, offering STARTTLS. */
  static TlsRelay startTls(Path keyStore, String password) throws Exception {
    return new TlsRelay(keyStore, password, false);
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread session = new Thread(() -> session(socket), "tls-relay-session");
        session.setDaemon(true);
        session.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void session(Socket plain) {
    try (Socket closing = plain) {
      Socket socket = implicit ? wrap(plain) : plain;
      boolean overTls = implicit;
      BufferedReader in = reader(socket);
      OutputStream out = socket.getOutputStream();
      reply(out, "220 relay.test ESMTP");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO" -> {
            reply(out, "250-relay.test");
            if (!overTls) {
              reply(out, "250-STARTTLS");
            }
            reply(out, "250 8BITMIME");
          }
          case "STARTTLS" -> {
            reply(out, "220 2.0.0 ready to start TLS");
            socket = wrap(socket);
            overTls = true;
            in = reader(socket);
            out = socket.getOutputStream();
          }
          case "DATA" -> {
            reply(out, "354 end with <CRLF>.<CRLF>");
            StringBuilder data = new StringBuilder();
            for (String d = in.readLine(); d != null && !d.equals("."); d = in.readLine()) {
              data.append(d.startsWith(".") ? d.substring(1) : d).append("\r\n");
            }
            messages.add(new Received(data.toString(), overTls));
            reply(out, "250 2.0.0 queued");
          }
          case "QUIT" -> {
            reply(out, "221 2.0.0 bye");
            return;
          }
          case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 2.0.0 ok");
          default -> reply(out, "502 5.5.2 not implemented");
        }
      }
    } catch (IOException e) {
      // the client hung up or refused the handshake: that session is over
    }
  }

  private SSLSocket wrap(Socket socket) throws IOException {
    SSLSocket secure =
        (SSLSocket)
            tls.getSocketFactory()
                .createSocket(
                    socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    secure.setUseClientMode(false);
    secure.startHandshake();
    return secure;
  }

  private static BufferedReader reader(Socket socket) throws IOException {
    return new BufferedReader(
        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void reply(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
