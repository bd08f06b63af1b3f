package io.statusdesk.tenant;

import io.statusdesk.DomainException;
import io.statusdesk.Text;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A helpdesk customer as billing knows it at one moment.
 *
 * @param id 1 to 64 of {@code A-Z a-z 0-9 . _ -} (the helpdesk's account id)
 * @param plan a plan of the price list
 * @param members paying members; the month's fee is plan price x members
 * @param cells the cells that serve it, as {@code component/cell} from checks.yaml, to tell which
 *     outages touched it
 */
public record Tenant(
    String id, String name, String plan, int members, TenantStatus status, List<String> cells) {
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  public static final Pattern CELL = Pattern.compile("[a-z0-9-]{1,32}/[a-z0-9-]{1,32}");
  public static final int MAX_MEMBERS = 1_000_000;

  /**
   * Checks every field's shape (what the price list and checks.yaml allow is {@link TenantRules}'s
   * to say); the message names the first bad field.
   */
  public static Tenant of(
      String id, String name, String plan, long members, String status, List<String> cells) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id: 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("name: 1 to 200 characters");
    }
    int control = Text.controlCharacter(name, false);
    if (control >= 0) {
      throw new IllegalArgumentException(Text.controlCharacterMessage("name", control));
    }
    if (plan == null || plan.isBlank()) {
      throw new IllegalArgumentException("plan: required");
    }
    if (members < 0 || members > MAX_MEMBERS) {
      throw new IllegalArgumentException("members: a whole number from 0 to " + MAX_MEMBERS);
    }
    TenantStatus parsed = TenantStatus.parse(status);
    if (cells.size() > 64 || cells.stream().anyMatch(c -> !CELL.matcher(c).matches())) {
      throw new IllegalArgumentException(
          "cells: at most 64 cells written component/cell, e.g. email/kr-1");
    }
    return new Tenant(
        id, name.strip(), plan, (int) members, parsed, cells.stream().distinct().sorted().toList());
  }

  /** The tenant id in a request path, or 404: an id that cannot exist names no tenant. */
  public static String pathId(String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw DomainException.notFound("no such tenant");
    }
    return value;
  }

  /** Whether an outage of {@code component} on {@code outageCells} reached this tenant. */
  public boolean touchedBy(String component, boolean major, List<String> outageCells) {
    return major
        || outageCells.isEmpty()
        || outageCells.stream().anyMatch(c -> cells.contains(component + "/" + c));
  }
}
