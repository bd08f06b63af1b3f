package io.statusdesk.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a private mail relay has: its own CA ({@code ca.pem}, what STATUSDESK_SMTP_TRUST names) and
 * a server key and certificate signed by it for localhost and 127.0.0.1 ({@code relay.p12}); one
 * the same CA signed for another host ({@code elsewhere.p12}); and a self-signed certificate for
 * localhost that no one trusts ({@code rogue.p12}). Made with the JDK's keytool, so the tests need
 * no certificate library.
 */
final class Certificates {
  static final String PASSWORD = "changeit";

  final Path ca;
  final Path relay;
  final Path elsewhere;
  final Path rogue;

  private Certificates(Path dir) {
    this.ca = dir.resolve("ca.pem");
    this.relay = dir.resolve("relay.p12");
    this.elsewhere = dir.resolve("elsewhere.p12");
    this.rogue = dir.resolve("rogue.p12");
  }

  static Certificates make(Path dir) throws Exception {
    Certificates c = new Certificates(dir);
    Path caStore = dir.resolve("ca.p12");
    keytool(
        dir,
        "-genkeypair",
        "-keystore",
        caStore,
        "-alias",
        "ca",
        "-dname",
        "CN=Test CA",
        "-ext",
        "bc:c");
    keytool(dir, "-exportcert", "-keystore", caStore, "-alias", "ca", "-rfc", "-file", c.ca);
    c.signed(dir, caStore, c.relay, "san=dns:localhost,ip:127.0.0.1");
    c.signed(dir, caStore, c.elsewhere, "san=dns:relay.elsewhere.example");
    keytool(
        dir,
        "-genkeypair",
        "-keystore",
        c.rogue,
        "-alias",
        "server",
        "-dname",
        "CN=localhost",
        "-ext",
        "san=dns:localhost,ip:127.0.0.1");
    return c;
  }

  /** A key in {@code store} whose certificate the CA signed for the names in {@code san}. */
  private void signed(Path dir, Path caStore, Path store, String san) throws Exception {
    Path csr = dir.resolve(store.getFileName() + ".csr");
    Path cert = dir.resolve(store.getFileName() + ".pem");
    keytool(dir, "-genkeypair", "-keystore", store, "-alias", "server", "-dname", "CN=relay");
    keytool(dir, "-certreq", "-keystore", store, "-alias", "server", "-file", csr);
    keytool(
        dir,
        "-gencert",
        "-keystore",
        caStore,
        "-alias",
        "ca",
        "-infile",
        csr,
        "-outfile",
        cert,
        "-rfc",
        "-ext",
        san);
    // the chain goes in only once its issuer is known to the store; the issuer alone then leaves
    keytool(dir, "-importcert", "-keystore", store, "-alias", "ca", "-file", ca, "-noprompt");
    keytool(dir, "-importcert", "-keystore", store, "-alias", "server", "-file", cert);
    keytool(dir, "-delete", "-keystore", store, "-alias", "ca");
  }

  private static void keytool(Path dir, Object... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object a : args) {
      command.add(a.toString());
    }
    String verb = command.get(1);
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    if (verb.equals("-genkeypair")) {
      command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }
    Path log = Files.createTempFile(dir, "keytool", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " failed: " + Files.readString(log));
    }
  }
}
