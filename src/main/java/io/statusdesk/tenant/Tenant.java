package io.statusdesk.tenant;

import io.statusdesk.DomainException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A helpdesk customer as billing knows it at one moment.
 *
 * @param plan a plan from the configured price list
 * @param members paying members; the month's fee is plan price x members
 * @param cells the cells (shards/regions) that serve it, to tell which outages touched it
 */
public record Tenant(String id, String name, String plan, int members, TenantStatus status,
    List<String> cells) {
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern CELL = Pattern.compile("[a-z0-9-]{1,32}");
  public static final int MAX_MEMBERS = 1_000_000;

  /** Checks every field; the message names the first bad one. */
  public static Tenant of(String id, String name, String plan, long members, String status,
      List<String> cells, Plans plans) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id: 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    if (name == null || name.isBlank() || name.length() > 200
        || name.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))) {
      throw new IllegalArgumentException("name: 1 to 200 characters, no control characters");
    }
    if (plan == null || !plans.pricePerMemberKrw().containsKey(plan)) {
      throw new IllegalArgumentException("plan: one of " + String.join(", ",
          plans.pricePerMemberKrw().keySet().stream().sorted().toList()));
    }
    if (members < 0 || members > MAX_MEMBERS) {
      throw new IllegalArgumentException("members: a whole number from 0 to " + MAX_MEMBERS);
    }
    TenantStatus parsed = TenantStatus.parse(status);
    if (cells.size() > 64 || cells.stream().anyMatch(c -> !CELL.matcher(c).matches())) {
      throw new IllegalArgumentException("cells: at most 64 cell ids matching [a-z0-9-]{1,32}");
    }
    return new Tenant(id, name.strip(), plan, (int) members, parsed,
        cells.stream().distinct().sorted().toList());
  }

  /** The tenant id in a request path, or 404: an id that cannot exist names no tenant. */
  public static String pathId(String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw DomainException.notFound("no such tenant");
    }
    return value;
  }

  /** The month's fee in KRW; zero on a free plan. */
  public long feeKrw(Plans plans) {
    return plans.monthlyFee(plan, members).orElse(0L);
  }
}
