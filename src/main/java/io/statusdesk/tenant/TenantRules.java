package io.statusdesk.tenant;

import java.time.Instant;
import java.util.Set;

/**
 * What a recorded tenant must agree with: a plan priced at the instant its state takes effect,
 * no more members than that plan allows, and cells that checks.yaml names.
 *
 * @param cells every {@code component/cell} in checks.yaml
 */
public record TenantRules(PriceList prices, Set<String> cells) {

  /** Throws {@link IllegalArgumentException} naming the field when {@code t} breaks a rule. */
  public void check(Tenant t, Instant effectiveFrom) {
    Plan plan = prices.at(t.plan(), effectiveFrom).orElseThrow(() ->
        new IllegalArgumentException("plan: one of " + String.join(", ",
            prices.names(effectiveFrom))));
    if (plan.maxMembers().isPresent() && t.members() > plan.maxMembers().getAsInt()) {
      throw new IllegalArgumentException("members: plan " + plan.name() + " allows at most "
          + plan.maxMembers().getAsInt());
    }
    for (String cell : t.cells()) {
      if (!cells.contains(cell)) {
        throw new IllegalArgumentException("cells: no cell " + cell + " in checks.yaml");
      }
    }
  }
}
