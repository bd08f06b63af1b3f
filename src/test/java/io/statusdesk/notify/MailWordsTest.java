package io.statusdesk.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Notifications say everything in both languages, and everything they ask for is said. */
class MailWordsTest {
  @Test
  void everyKeyExistsInBothLanguagesAndFormats() {
    assertThat(MailWords.KO.all().keySet()).isEqualTo(MailWords.EN.all().keySet());
    for (String key : MailWords.EN.all().keySet()) {
      assertThat(MailWords.EN.get(key, "x", "y")).as(key).isNotBlank();
      assertThat(MailWords.KO.get(key, "x", "y")).as(key).isNotBlank();
    }
    assertThat(MailWords.KO.get("site")).isNotEqualTo(MailWords.EN.get("site"));
  }

  @Test
  void everyKeyTheMessagesUseExists() throws Exception {
    Set<String> used = new TreeSet<>();
    Pattern java = Pattern.compile("w\\.get\\(\\s*\"([a-z0-9_]+)\"\\s*[,)]");
    Pattern template = Pattern.compile("\\bt\\.([a-z0-9_]+)");
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/statusdesk/notify"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = java.matcher(Files.readString(f));
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    try (Stream<Path> files = Files.list(Path.of("templates/mail"))) {
      for (Path f : files.toList()) {
        Matcher m = template.matcher(Files.readString(f));
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    // keys built from values: every value they can take
    for (String s :
        Set.of(
            "operational",
            "degraded_performance",
            "partial_outage",
            "major_outage",
            "under_maintenance")) {
      used.add("state_" + s);
    }
    for (String s : Set.of("investigating", "identified", "monitoring", "resolved")) {
      used.add("incident_" + s);
    }
    for (String s : Set.of("scheduled", "in_progress", "completed")) {
      used.add("maintenance_" + s);
    }
    for (String s : Set.of("none", "minor", "major", "critical", "maintenance")) {
      used.add("impact_" + s);
    }
    for (String s : Set.of("monitor_down", "buffer_overflow")) {
      used.add("gap_" + s);
      used.add("subject_gap_" + s);
    }
    assertThat(MailWords.EN.all().keySet()).containsAll(used);
  }
}
