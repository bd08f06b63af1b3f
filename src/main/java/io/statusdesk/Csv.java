package io.statusdesk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.UncheckedIOException;

/**
 * CSV rows for finance exports (RFC 4180 quoting by Jackson). Text that a spreadsheet would run as
 * a formula (leading {@code = + - @}) is prefixed with {@code '}; numbers are written as they are.
 */
public final class Csv {
  private static final ObjectWriter WRITER =
      new CsvMapper().writerFor(Object[].class).with(CsvSchema.emptySchema());

  private Csv() {}

  public static String row(Object... values) {
    Object[] safe = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      safe[i] =
          v instanceof String s && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0
              ? "'" + s
              : v == null ? "" : v;
    }
    try {
      return WRITER.writeValueAsString(safe);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
