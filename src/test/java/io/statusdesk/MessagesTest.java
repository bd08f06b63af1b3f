package io.statusdesk;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusdesk.admin.Role;
import io.statusdesk.admin.Section;
import io.statusdesk.ledger.Ledger;
import io.statusdesk.ledger.LedgerEntry;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.outage.ComponentStatus;
import io.statusdesk.outage.Exclusion;
import io.statusdesk.outage.IncidentStatus;
import io.statusdesk.outage.Source;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Both languages say everything, and everything the pages ask for is said. */
class MessagesTest {

  private static Properties bundle(String name) throws Exception {
    Properties p = new Properties();
    try (InputStream in = MessagesTest.class.getResourceAsStream("/i18n/" + name)) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void everyKeyExistsInBothLanguages() throws Exception {
    Set<String> en = bundle("messages.properties").stringPropertyNames();
    Set<String> ko = bundle("messages_ko.properties").stringPropertyNames();
    assertThat(ko).containsExactlyInAnyOrderElementsOf(en);
    assertThat(Messages.KO.keySet()).containsExactlyInAnyOrderElementsOf(en);
    assertThat(Messages.KO.get("site")).isNotEqualTo(Messages.EN.get("site"));
  }

  @Test
  void everyKeyThePagesUseExists() throws Exception {
    Set<String> used = new TreeSet<>();
    Pattern template = Pattern.compile("\\bt\\.([a-z0-9_]+)");
    // mails and the subscription pages speak the mail words (i18n/mail*.properties)
    Set<Path> mailWords = Set.of(Path.of("templates/mail"), Path.of("templates/subscription"));
    try (Stream<Path> files = Files.walk(Path.of("templates"))) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".ftlh"))
              .filter(p -> !mailWords.contains(p.getParent()))
              .toList()) {
        Matcher m = template.matcher(Files.readString(f));
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    Pattern java = Pattern.compile("t\\.get\\(\"([a-z0-9_]+)\"\\)");
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/statusdesk"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = java.matcher(Files.readString(f));
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    // keys built from values: every value they can take
    Arrays.stream(ComponentStatus.values()).forEach(s -> used.add("state_" + s.apiValue()));
    used.addAll(Set.of("state_no_data", "state_not_monitored"));
    Arrays.stream(IncidentStatus.values()).forEach(s -> used.add("incident_" + s.apiValue()));
    Arrays.stream(Occurrence.Status.values()).forEach(s -> used.add("maintenance_" + s.apiValue()));
    Arrays.stream(LedgerEntry.Kind.values()).forEach(k -> used.add("kind_" + k.dbValue()));
    Arrays.stream(Ledger.MonthState.values()).forEach(s -> used.add("month_" + s.code()));
    Set.of("free_plan", "no_members", "not_current", "no_tier").forEach(r -> used.add("zero_" + r));
    Set.of("major", "partial").forEach(c -> used.add("class_" + c));
    // the console's keys built from values
    Arrays.stream(Role.values()).forEach(r -> used.add("role_" + r.dbValue()));
    Arrays.stream(Section.values()).forEach(s -> used.add("nav_" + s.key()));
    Set.of("active", "pending", "disabled").forEach(s -> used.add("c_account_" + s));
    Set.of("active", "expired", "revoked").forEach(s -> used.add("c_token_" + s));
    Set.of("healthy", "failing", "unknown").forEach(s -> used.add("c_state_" + s));
    Set.of("monitor_down", "buffer_overflow").forEach(r -> used.add("c_gap_" + r));
    Arrays.stream(Source.values()).forEach(s -> used.add("c_source_" + s.dbValue()));
    Exclusion.REASONS.forEach(r -> used.add("c_reason_" + r));
    Set.of("current", "past_due", "terminated").forEach(s -> used.add("c_tenant_" + s));
    Set.of("short_notice", "starts_soon").forEach(w -> used.add("c_warn_" + w));
    Set.of("none", "daily", "weekly", "monthly").forEach(r -> used.add("c_repeat_" + r));
    Set.of("MO", "TU", "WE", "TH", "FR", "SA", "SU").forEach(d -> used.add("c_wd_" + d));
    Set.of("mon", "tue", "wed", "thu", "fri", "sat", "sun").forEach(d -> used.add("c_day_" + d));
    assertThat(Messages.EN.keySet()).containsAll(used);
  }

  @Test
  void everyNoticeAConsoleRedirectNamesExists() throws Exception {
    Pattern done = Pattern.compile("done=([a-z_]+)");
    Set<String> named = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/statusdesk"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = done.matcher(Files.readString(f));
        while (m.find()) {
          named.add("done_" + m.group(1));
        }
      }
    }
    assertThat(named).isNotEmpty();
    assertThat(Messages.EN.keySet()).containsAll(named);
  }
}
