package io.statusdesk.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's own embedded PostgreSQL. */
class EmbeddedDatabaseTest {
  @TempDir
  Path dir;

  @Test
  void theServiceClusterFlushesEveryCommitToDisk() throws Exception {
    try (Database db = Database.embedded(dir, Database.Durability.DURABLE)) {
      assertThat(settings(db)).containsExactly(
          Map.entry("fsync", "on"), Map.entry("synchronous_commit", "on"),
          Map.entry("full_page_writes", "on"));
    }
  }

  private static Map<String, String> settings(Database db) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
      out.put(name, query(db, "SHOW " + name));
    }
    return out;
  }

  private static String query(Database db, String sql) throws Exception {
    try (Connection c = TestDatabase.connect(db.url()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
