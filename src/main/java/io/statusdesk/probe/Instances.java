package io.statusdesk.probe;

import io.statusdesk.store.Members;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The serve instances and agents sharing the work, as the API and the console show them: members
 * seen in the last day, whether each is alive, the cells it owns and the singletons it runs.
 */
public final class Instances {
  private final ProbeRepository repository;
  private final Supplier<String> self;
  private final Duration ttl;
  private final Map<Integer, String> singletons;

  /**
   * @param self this instance's member id
   * @param ttl how long a member's beat keeps it alive
   * @param singletons every singleton's name by its lock key
   */
  public Instances(
      ProbeRepository repository,
      Supplier<String> self,
      Duration ttl,
      Map<Integer, String> singletons) {
    this.repository = repository;
    this.self = self;
    this.ttl = ttl;
    this.singletons = Map.copyOf(singletons);
  }

  public Future<List<Members.Member>> members() {
    return repository.members(ttl, singletons);
  }

  /** The member id of the instance answering. */
  public String self() {
    return self.get();
  }
}
