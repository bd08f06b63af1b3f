package io.statusdesk.store;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Conversions every repository needs between domain values and PostgreSQL columns. */
public final class Sql {
  private Sql() {}

  /** A {@code timestamptz} parameter, always in UTC. */
  public static OffsetDateTime ts(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  public static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  public static Optional<Instant> optionalInstant(Row row, String column) {
    return Optional.ofNullable(instant(row, column));
  }

  public static List<String> strings(Row row, String column) {
    String[] values = row.getArrayOfStrings(column);
    return values == null ? List.of() : List.of(values);
  }

  /** The first row mapped, or empty when there is none. */
  public static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> map) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map.apply(rows.iterator().next()));
  }

  /**
   * {@code text} for a LIKE pattern, taken literally: its {@code \\}, {@code %} and {@code _}
   * escaped.
   */
  public static String likeLiteral(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  public static String[] array(Collection<String> values) {
    return values.stream().sorted().toArray(String[]::new);
  }
}
