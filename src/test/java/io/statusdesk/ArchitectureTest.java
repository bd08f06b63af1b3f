package io.statusdesk;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape the code promises: feature packages depend on each other one way only, and the domain
 * rules are plain Java, so the console, notifications and tests can call them without a Vert.x or a
 * database.
 */
class ArchitectureTest {
  /** The rules, wherever they live: no I/O, no event loop, a Clock passed in. */
  static final String[] DOMAIN = {
    "io.statusdesk.sla..",
    "io.statusdesk.DomainException",
    "io.statusdesk.Localized",
    "io.statusdesk.Text",
    "io.statusdesk.probe.Condition",
    "io.statusdesk.probe.CheckHealth",
    "io.statusdesk.probe.Verdict",
    "io.statusdesk.probe.PipelineHealth",
    "io.statusdesk.probe.Rendezvous",
    "io.statusdesk.probe.Quorum",
    "io.statusdesk.probe.LateRuns",
    "io.statusdesk.probe.Locations",
    "io.statusdesk.probe.Unobserved",
    "io.statusdesk.outage.Classification",
    "io.statusdesk.outage.OutagePlan",
    "io.statusdesk.outage.LateNetwork",
    "io.statusdesk.outage.OutageEdit",
    "io.statusdesk.outage.IncidentRules",
    "io.statusdesk.outage.IncidentWording",
    "io.statusdesk.outage.ComponentStatuses",
    "io.statusdesk.outage.StatusOverride",
    "io.statusdesk.maintenance.Window",
    "io.statusdesk.maintenance.Occurrence",
    "io.statusdesk.maintenance.Scheduling",
    "io.statusdesk.maintenance.MaintenanceCalendar",
    "io.statusdesk.maintenance.Recurrence",
    "io.statusdesk.maintenance.SeriesText",
    "io.statusdesk.maintenance.WindowChange",
    "io.statusdesk.maintenance.ReminderRules",
    "io.statusdesk.notify.AlertRoute",
    "io.statusdesk.notify.Backoff",
    "io.statusdesk.notify.Channel",
    "io.statusdesk.notify.Destination",
    "io.statusdesk.notify.EmailAddress",
    "io.statusdesk.notify.EventKind",
    "io.statusdesk.notify.MailSettings",
    "io.statusdesk.notify.NotifySettings",
    "io.statusdesk.notify.QuietHours",
    "io.statusdesk.notify.RateLimit",
    "io.statusdesk.notify.Subscription",
    "io.statusdesk.notify.DeadLetter",
    "io.statusdesk.notify.WebhookSignature",
    "io.statusdesk.ledger.Settlement",
    "io.statusdesk.ledger.Applications",
    "io.statusdesk.tenant.Tenant",
    "io.statusdesk.tenant.TenantRules",
    "io.statusdesk.tenant.PriceList",
    "io.statusdesk.tenant.Plan",
    "io.statusdesk.tenant.Plans",
    "io.statusdesk.statuspage.ComponentDays",
    "io.statusdesk.statuspage.Day",
    "io.statusdesk.admin.Passwords",
    "io.statusdesk.admin.Totp",
    "io.statusdesk.admin.RecoveryCodes",
    "io.statusdesk.admin.QrCode",
    "io.statusdesk.admin.SignInRules",
    "io.statusdesk.admin.Secrets",
    "io.statusdesk.admin.Section",
    "io.statusdesk.admin.Role",
    "io.statusdesk.admin.Principal",
    "io.statusdesk.maintenance.RruleForm",
    "io.statusdesk.demo.DemoData",
  };

  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.statusdesk");
  }

  private static boolean domain(JavaClass c) {
    return Arrays.stream(DOMAIN)
        .anyMatch(
            d ->
                d.endsWith("..")
                    ? c.getPackageName().startsWith(d.substring(0, d.length() - 2))
                    : c.getName().equals(d) || c.getName().startsWith(d + "$"));
  }

  @Test
  void featurePackagesDependOnEachOtherOneWayOnly() {
    slices().matching("io.statusdesk.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void domainRulesUseNoVertxAndNoDatabase() {
    noClasses()
        .that(DescribedPredicate.describe("are domain rules", ArchitectureTest::domain))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vertx..", "io.netty..", "io.statusdesk.store..", "java.sql..")
        .check(classes);
  }

  /**
   * The formatter keeps code within 100 columns but leaves text blocks (SQL, YAML, tables) and
   * comments as written: this holds them to it too.
   */
  @Test
  void everyLineOfJavaFitsIn100Columns() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (String root : List.of("src", "bench")) {
      try (Stream<Path> files = Files.walk(Path.of(root))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).codePointCount(0, lines.get(i).length()) > 100) {
              tooLong.add(file + ":" + (i + 1));
            }
          }
        }
      }
    }
    assertThat(tooLong).isEmpty();
  }
}
