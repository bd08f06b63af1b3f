package io.statusdesk.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Set;

/** Which tenants have statement addresses, for writers deciding whose statement to record. */
public final class Contacts {
  private Contacts() {}

  /** The tenants with at least one statement address, as seen by {@code client}'s transaction. */
  public static Future<Set<String>> tenantsWithContacts(SqlClient client) {
    return NotifyRepository.tenantsWithContacts(client);
  }
}
