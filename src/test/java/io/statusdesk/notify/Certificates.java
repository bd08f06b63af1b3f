package io.statusdesk.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a private mail relay has: its own CA ({@code ca.pem}, what STATUSDESK_SMTP_TRUST names) and
 * a server key and certificate signed by it for localhost and 127.0.0.1 ({@code relay.p12}); plus a
 * self-signed certificate for the same names that no one trusts ({@code rogue.p12}). Made with the
 * JDK's keytool, so the tests need no certificate library.
 */
final class Certificates {
  static final String PASSWORD = "changeit";

  final Path ca;
  final Path relay;
  final Path rogue;

  private Certificates(Path dir) {
    this.ca = dir.resolve("ca.pem");
    this.relay = dir.resolve("relay.p12");
    this.rogue = dir.resolve("rogue.p12");
  }

  static Certificates make(Path dir) throws Exception {
    Certificates c = new Certificates(dir);
    Path caStore = dir.resolve("ca.p12");
    Path csr = dir.resolve("relay.csr");
    Path signed = dir.resolve("relay.pem");
    keytool(
        dir,
        "-genkeypair",
        "-keystore",
        caStore,
        "-alias",
        "ca",
        "-dname",
        "CN=Relay Test CA",
        "-ext",
        "bc:c");
    keytool(dir, "-exportcert", "-keystore", caStore, "-alias", "ca", "-rfc", "-file", c.ca);
    keytool(dir, "-genkeypair", "-keystore", c.relay, "-alias", "relay", "-dname", "CN=localhost");
    keytool(dir, "-certreq", "-keystore", c.relay, "-alias", "relay", "-file", csr);
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
        signed,
        "-rfc",
        "-ext",
        "san=dns:localhost,ip:127.0.0.1");
    keytool(dir, "-importcert", "-keystore", c.relay, "-alias", "ca", "-file", c.ca, "-noprompt");
    keytool(dir, "-importcert", "-keystore", c.relay, "-alias", "relay", "-file", signed);
    keytool(dir, "-delete", "-keystore", c.relay, "-alias", "ca");
    keytool(
        dir,
        "-genkeypair",
        "-keystore",
        c.rogue,
        "-alias",
        "rogue",
        "-dname",
        "CN=localhost",
        "-ext",
        "san=dns:localhost,ip:127.0.0.1");
    return c;
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
