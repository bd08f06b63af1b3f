package io.statusdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** RFC 6238's own test vectors, and the rules that make a code single-use. */
class TotpTest {
  private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void matchesTheVectorsOfRfc6238() {
    long[][] vectors = {
      {59L, 94287082L},
      {1111111109L, 7081804L},
      {1111111111L, 14050471L},
      {1234567890L, 89005924L},
      {2000000000L, 69279037L},
      {20000000000L, 65353130L}
    };
    for (long[] v : vectors) {
      String expected = String.format("%08d", v[1]);
      assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(v[0])), 8))
          .as("T=%d", v[0])
          .isEqualTo(expected);
    }
  }

  @Test
  void base32RoundTripsAndMatchesRfc4648() {
    assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    byte[] secret = Totp.newSecret();
    assertThat(Totp.fromBase32(Totp.base32(secret))).isEqualTo(secret);
    assertThat(Totp.fromBase32(Totp.base32(secret).toLowerCase(Locale.ROOT))).isEqualTo(secret);
  }

  @Test
  void acceptsTheStepEitherSideButNeverAStepAlreadyUsed() {
    String secret = Totp.base32(RFC_KEY);
    Instant now = Instant.ofEpochSecond(1_700_000_015L);
    long step = Totp.step(now);
    String code = Totp.code(secret, now);
    assertThat(Totp.verify(secret, code, now, 0)).isEqualTo(OptionalLong.of(step));
    // the app's clock 30 s behind or ahead
    assertThat(Totp.verify(secret, Totp.code(secret, now.minusSeconds(30)), now, 0))
        .isEqualTo(OptionalLong.of(step - 1));
    assertThat(Totp.verify(secret, Totp.code(secret, now.plusSeconds(30)), now, 0))
        .isEqualTo(OptionalLong.of(step + 1));
    assertThat(Totp.verify(secret, Totp.code(secret, now.minusSeconds(90)), now, 0)).isEmpty();
    // replayed within its own step, or older than the last one used
    assertThat(Totp.verify(secret, code, now, step)).isEmpty();
    assertThat(Totp.verify(secret, Totp.code(secret, now.minusSeconds(30)), now, step)).isEmpty();
    assertThat(Totp.verify(secret, "12345", now, 0)).isEmpty();
    assertThat(Totp.verify(secret, "abcdef", now, 0)).isEmpty();
  }

  @Test
  void theEnrolmentUriNamesIssuerAccountAndSecret() {
    assertThat(Totp.uri("MZXW6YTBOI", "ops lead@example.com"))
        .isEqualTo(
            "otpauth://totp/statusdesk%3Aops%20lead%40example.com?secret=MZXW6YTBOI"
                + "&issuer=statusdesk&algorithm=SHA1&digits=6&period=30");
    assertThat(QrCode.svgDataUri(Totp.uri("MZXW6YTBOI", "a@b.c")))
        .startsWith("data:image/svg+xml;base64,");
  }
}
