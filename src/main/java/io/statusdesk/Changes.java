package io.statusdesk;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * "Something the public pages show has changed": writers announce it on the event bus after their
 * transaction commits, and the status page rebuilds its snapshot soon after instead of waiting for
 * its periodic refresh. An announcement made here (marked {@link #LOCAL}) is also sent to the other
 * instances on the database, which publish it on their own event bus unmarked.
 */
public final class Changes {
  public static final String ADDRESS = "statusdesk.changed";

  /** Header of an announcement a writer of this instance made. */
  public static final String LOCAL = "statusdesk.local";

  private Changes() {}

  public static void announce(Vertx vertx) {
    vertx.eventBus().publish(ADDRESS, null, new DeliveryOptions().addHeader(LOCAL, "1"));
  }
}
