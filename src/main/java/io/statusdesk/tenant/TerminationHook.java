package io.statusdesk.tenant;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;

/**
 * Told, inside the transaction that terminates tenants, which ones it terminated: the ledger
 * expires their remaining credits in the same commit.
 */
public interface TerminationHook {
  Future<Void> terminated(SqlConnection conn, List<String> tenantIds, Instant at);
}
