package io.statusdesk.tenant;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a tenant import: a header row naming {@code id,name,plan,members,status,cells} (any order;
 * cells written {@code component/cell} and separated by {@code ;}), then one tenant per line. All
 * lines are checked before anything is written, and every bad line is reported with its number
 * (records are one line each: quoted fields spanning lines would shift the numbers, and no field
 * needs a line break).
 */
public final class TenantCsv {
  public static final List<String> COLUMNS =
      List.of("id", "name", "plan", "members", "status", "cells");
  public static final int MAX_ROWS = 200_000;
  private static final CsvMapper MAPPER = new CsvMapper();

  private TenantCsv() {}

  /** The tenants, or the errors as {@code line N: field: message}, at most 50 of them. */
  public record Parsed(List<Tenant> tenants, List<String> errors) {}

  /** Parses {@code text} and checks every tenant by {@code rules} as of {@code effectiveFrom}. */
  public static Parsed parse(String text, TenantRules rules, Instant effectiveFrom) {
    List<Tenant> tenants = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (MappingIterator<Map<String, String>> rows =
        MAPPER
            .readerForMapOf(String.class)
            .with(schema)
            .with(CsvParser.Feature.TRIM_SPACES)
            .readValues(text)) {
      List<String> header = ((CsvSchema) rows.getParserSchema()).getColumnNames();
      if (!new HashSet<>(header).equals(new HashSet<>(COLUMNS))
          || header.size() != COLUMNS.size()) {
        return new Parsed(
            List.of(),
            List.of("line 1: the header must name exactly " + String.join(",", COLUMNS)));
      }
      long line = 1;
      while (rows.hasNextValue() && errors.size() < 50) {
        Map<String, String> row = rows.nextValue();
        line++;
        if (tenants.size() + errors.size() >= MAX_ROWS) {
          errors.add("line " + line + ": at most " + MAX_ROWS + " tenants per import");
          break;
        }
        try {
          String cells = row.getOrDefault("cells", "");
          Tenant t =
              Tenant.of(
                  row.get("id"),
                  row.get("name"),
                  row.get("plan"),
                  members(row.get("members")),
                  row.get("status"),
                  cells.isBlank()
                      ? List.of()
                      : Arrays.stream(cells.split(";"))
                          .map(String::strip)
                          .filter(s -> !s.isEmpty())
                          .toList());
          rules.check(t, effectiveFrom);
          if (!seen.add(t.id())) {
            throw new IllegalArgumentException("id: '" + t.id() + "' appears twice");
          }
          tenants.add(t);
        } catch (IllegalArgumentException e) {
          errors.add("line " + line + ": " + e.getMessage());
        }
      }
    } catch (IOException | RuntimeJsonMappingException e) {
      errors.add("not readable as CSV: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (tenants.isEmpty() && errors.isEmpty()) {
      errors.add("line 2: no tenants");
    }
    return new Parsed(errors.isEmpty() ? tenants : List.of(), errors);
  }

  private static long members(String value) {
    try {
      return Long.parseLong(value == null ? "" : value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("members: a whole number from 0 to " + Tenant.MAX_MEMBERS);
    }
  }
}
