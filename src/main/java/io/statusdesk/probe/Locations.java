package io.statusdesk.probe;

import java.util.List;

/**
 * Where the cells are probed from ({@code locations:} and {@code quorum:} in checks.yaml).
 *
 * @param names the probe locations results may come from; empty: any
 * @param quorum how many of those with recent results must see a cell failing for it to count
 */
public record Locations(List<String> names, Quorum quorum) {
  public static final Locations ANY = new Locations(List.of(), Quorum.MAJORITY);

  public boolean allows(String location) {
    return names.isEmpty() || names.contains(location);
  }
}
