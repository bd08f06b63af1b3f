package io.statusdesk.tenant;

import java.util.OptionalInt;

/**
 * A plan as priced at one moment.
 *
 * @param pricePerMemberKrw monthly price per member; 0 is a free plan (no fee, no credit)
 * @param maxMembers the most members the plan allows, empty for no limit
 */
public record Plan(String name, long pricePerMemberKrw, OptionalInt maxMembers) {

  public boolean free() {
    return pricePerMemberKrw == 0;
  }

  /** The month's fee for {@code members}. */
  public long feeKrw(long members) {
    return pricePerMemberKrw * members;
  }
}
