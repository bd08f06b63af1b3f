package io.statusdesk;

import io.vertx.core.Vertx;

/**
 * "Something the public pages show has changed": writers announce it on the event bus after their
 * transaction commits, and the status page rebuilds its snapshot soon after instead of waiting for
 * its periodic refresh.
 */
public final class Changes {
  public static final String ADDRESS = "statusdesk.changed";

  private Changes() {}

  public static void announce(Vertx vertx) {
    vertx.eventBus().publish(ADDRESS, null);
  }
}
