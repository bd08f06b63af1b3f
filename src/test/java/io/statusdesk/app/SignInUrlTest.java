package io.statusdesk.app;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.statuspage.StatusPageConfig;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code tenant sign-in-url}: the link it prints signs the tenant in, once, on the service. */
@ExtendWith(VertxExtension.class)
class SignInUrlTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private ServiceHarness harness;
  private WebClient client;
  private final Map<String, String> env = new HashMap<>();

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private void startWith(Vertx vertx, StatusPageConfig signIn) throws Exception {
    harness = ServiceHarness.start(vertx, TenantViewTest.CHECKS, Map.of(), signIn);
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    try (Connection c = TestDatabase.connect(harness.dbUrl);
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO tenant_versions (tenant_id, valid_from, name, plan, members, status, cells,
            recorded_by)
          VALUES ('acme', '2026-09-01T00:00:00Z', 'Acme Support', 'earth', 10, 'current', '{}',
            't')\
          """);
    }
    env.put("STATUSDESK_DB_URL", harness.dbUrl);
    env.put("STATUSDESK_PUBLIC_URL", "http://127.0.0.1:" + harness.service.httpPort());
  }

  private int cli(String... args) {
    out.reset();
    err.reset();
    return Main.run(
        Stream.concat(Stream.of("tenant"), Stream.of(args)).toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        env::get);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8).trim();
  }

  /** Opens {@code link} as a browser would; the tenant page it leads to, or the refusal. */
  private HttpResponse<Buffer> open(String link) throws Exception {
    HttpResponse<Buffer> signIn = get(client.getAbs(link).send());
    if (signIn.statusCode() != 302) {
      return signIn;
    }
    String cookie = signIn.cookies().get(0).split(";", -1)[0];
    return get(
        client
            .get(harness.service.httpPort(), "127.0.0.1", "/tenant?lang=en")
            .putHeader("Cookie", cookie)
            .send());
  }

  @Test
  void aLinkSignedWithTheSharedSecretSignsTheTenantInOnce(Vertx vertx) throws Exception {
    startWith(vertx, TenantViewTest.SIGN_IN);
    env.put("STATUSDESK_SSO_SECRET", TenantViewTest.SECRET);
    assertThat(cli("sign-in-url", "acme", "--minutes", "5")).isZero();
    String link = out.toString(StandardCharsets.UTF_8).trim();
    assertThat(link).startsWith(env.get("STATUSDESK_PUBLIC_URL") + "/tenant/sso?token=");
    assertThat(err()).contains("signs acme in once, until ");
    HttpResponse<Buffer> page = open(link);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("Acme Support");
    assertThat(open(link).statusCode()).as("a replay").isEqualTo(401);
    // links made in the same second are different tokens, each good once
    assertThat(cli("sign-in-url", "acme")).isZero();
    String first = out.toString(StandardCharsets.UTF_8).trim();
    assertThat(cli("sign-in-url", "acme")).isZero();
    String second = out.toString(StandardCharsets.UTF_8).trim();
    assertThat(open(first).statusCode()).isEqualTo(200);
    assertThat(open(second).statusCode()).isEqualTo(200);

    assertThat(cli("sign-in-url", "nobody")).isEqualTo(1);
    assertThat(err()).isEqualTo("statusdesk: no tenant nobody");
    assertThat(cli("sign-in-url", "acme", "--minutes", "61")).isEqualTo(2);
    assertThat(err()).startsWith("--minutes must be a whole number from 1 to 60");
    env.remove("STATUSDESK_SSO_SECRET");
    assertThat(cli("sign-in-url", "acme")).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "statusdesk: tenant sign-in is not configured: set "
                + "STATUSDESK_SSO_SECRET or STATUSDESK_SSO_PUBLIC_KEY_FILE");
  }

  @Test
  void withOnlyAPublicKeyTheCommandNeedsTheMatchingPrivateKey(Vertx vertx, @TempDir Path dir)
      throws Exception {
    KeyPair keys = rsa();
    Path publicKey = dir.resolve("public.pem");
    Files.writeString(publicKey, TenantViewTest.pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    Path privateKey = dir.resolve("private.pem");
    Files.writeString(
        privateKey, TenantViewTest.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    Path otherKey = dir.resolve("other.pem");
    Files.writeString(otherKey, TenantViewTest.pem("PRIVATE KEY", rsa().getPrivate().getEncoded()));
    startWith(
        vertx,
        new StatusPageConfig(
            Optional.empty(),
            "'self'",
            Optional.empty(),
            Optional.of(Files.readString(publicKey))));
    env.put("STATUSDESK_SSO_PUBLIC_KEY_FILE", publicKey.toString());

    assertThat(cli("sign-in-url", "acme")).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "statusdesk: the service checks sign-in tokens with the RS256 public key in"
                + " STATUSDESK_SSO_PUBLIC_KEY_FILE, and a public key cannot sign: pass"
                + " --private-key-file with the matching private key (PEM)");
    assertThat(cli("sign-in-url", "acme", "--private-key-file", otherKey.toString())).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "statusdesk: the private key does not belong to the public key "
                + "in STATUSDESK_SSO_PUBLIC_KEY_FILE: the service would refuse the link");
    assertThat(cli("sign-in-url", "acme", "--private-key-file", privateKey.toString())).isZero();
    HttpResponse<Buffer> page = open(out.toString(StandardCharsets.UTF_8).trim());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("Acme Support");
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }
}
