package io.statusdesk.notify;

import static io.statusdesk.Await.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statusdesk.store.Database;
import io.statusdesk.store.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Instances starting at the same moment share one key for the public forms' tokens. */
@ExtendWith(VertxExtension.class)
class FormKeyTest {
  @Test
  void aKeyAnotherInstanceIsMakingMeanwhileIsTheOneUsed(Vertx vertx) throws Exception {
    String url = TestDatabase.fresh();
    byte[] theirs = "theirs-theirs-theirs-theirs-1234".getBytes(StandardCharsets.US_ASCII);
    byte[] ours = "ours-ours-ours-ours-ours-ours-12".getBytes(StandardCharsets.US_ASCII);
    Pool pool = Database.external(url).pool(vertx, 2);
    try (Connection other = TestDatabase.connect(url);
        Connection watch = TestDatabase.connect(url)) {
      other.setAutoCommit(false);
      try (PreparedStatement s =
          other.prepareStatement("INSERT INTO notify_keys (name, value) VALUES ('form', ?)")) {
        s.setBytes(1, theirs);
        s.executeUpdate();
      }
      Future<byte[]> made = new NotifyRepository(pool).formKey(ours);
      // Ours waits on their uncommitted row; it must not start after their commit.
      await().atMost(Duration.ofSeconds(20)).until(() -> waiting(watch) == 1);
      other.commit();
      assertThat(get(made)).isEqualTo(theirs);
    } finally {
      get(pool.close());
    }
  }

  private static long waiting(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
