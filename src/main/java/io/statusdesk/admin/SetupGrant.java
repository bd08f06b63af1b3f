package io.statusdesk.admin;

import java.time.Instant;

/**
 * A new set-up link: its token (shown once; only its hash is stored), the TOTP secret it enrols
 * (base32) and its expiry.
 */
public record SetupGrant(String token, String totpSecret, Instant expiresAt) {

  /** A fresh link of {@link SignInRules#SETUP_LINK} from {@code now}. */
  public static SetupGrant fresh(Instant now) {
    return new SetupGrant(
        Secrets.token(), Totp.base32(Totp.newSecret()), now.plus(SignInRules.SETUP_LINK));
  }
}
