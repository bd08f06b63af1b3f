package io.statusdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Argon2id hashes, recovery codes and the sign-in back-off. */
class PasswordsTest {

  @Test
  void argon2idHashesCarryTheirParametersAndVerify() {
    String hash = Passwords.hash("correct horse battery staple");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(Passwords.verify("correct horse battery staple", hash)).isTrue();
    assertThat(Passwords.verify("correct horse battery stapler", hash)).isFalse();
    assertThat(Passwords.hash("correct horse battery staple")).isNotEqualTo(hash);
    assertThat(Passwords.verify("anything", null)).isFalse();
    assertThat(Passwords.verify("anything", "$argon2id$garbage")).isFalse();
  }

  @Test
  void verifiesAKnownArgon2idVector() {
    // the reference implementation (Debian's argon2):
    // echo -n password | argon2 somesaltsomesalt -id -m 10 -t 2 -p 1 -l 32 -e
    String phc =
        "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHRzb21lc2FsdA"
            + "$CKGe5/bX9YnCq2rxjW5yQXKxn31v1GKzhDCrMc6r6vA";
    assertThat(Passwords.verify("password", phc)).isTrue();
  }

  @Test
  void passwordsNeedTwelveCharacters() {
    assertThat(Passwords.weakness("short")).contains("at least 12");
    assertThat(Passwords.weakness("a".repeat(300))).contains("at most 256");
    assertThat(Passwords.weakness("twelve chars")).isNull();
  }

  @Test
  void recoveryCodesAreTenDistinctAndMatchHoweverTyped() {
    List<String> codes = RecoveryCodes.generate();
    assertThat(codes).hasSize(10);
    assertThat(new HashSet<>(codes)).hasSize(10);
    String code = codes.get(0);
    assertThat(code).matches("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}");
    assertThat(RecoveryCodes.looksLikeOne(code.toUpperCase(Locale.ROOT).replace("-", " ")))
        .isTrue();
    assertThat(RecoveryCodes.hash(code.toUpperCase(Locale.ROOT)))
        .isEqualTo(RecoveryCodes.hash(code));
    assertThat(RecoveryCodes.looksLikeOne("123456")).isFalse();
  }

  @Test
  void failedSignInsBackOffExponentially() {
    Instant at = Instant.parse("2026-10-01T00:00:00Z");
    assertThat(SignInRules.lockedUntil(4, at)).isEmpty();
    assertThat(SignInRules.lockedUntil(5, at)).contains(at.plus(Duration.ofMinutes(1)));
    assertThat(SignInRules.lockedUntil(6, at)).contains(at.plus(Duration.ofMinutes(2)));
    assertThat(SignInRules.lockedUntil(8, at)).contains(at.plus(Duration.ofMinutes(8)));
    assertThat(SignInRules.lockedUntil(50, at)).contains(at.plus(Duration.ofHours(1)));
  }

  @Test
  void sessionsEndWhenIdleOrOld() {
    Instant signIn = Instant.parse("2026-10-01T00:00:00Z");
    assertThat(SignInRules.alive(signIn, signIn, signIn.plusSeconds(29 * 60))).isTrue();
    assertThat(SignInRules.alive(signIn, signIn, signIn.plusSeconds(30 * 60))).isFalse();
    Instant late = signIn.plus(Duration.ofHours(12)).minusSeconds(60);
    assertThat(SignInRules.alive(signIn, late, late.plusSeconds(30))).isTrue();
    assertThat(SignInRules.alive(signIn, late, late.plusSeconds(60))).isFalse();
  }
}
