package io.statusdesk.demo;

import io.statusdesk.outage.Exclusion;
import io.statusdesk.sla.ContractMonth;
import io.statusdesk.tenant.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * What {@code serve --demo} records about a past month, so that every user of the demo finds
 * something real: tenants on every plan (one free, one past due, one terminated, the rest current),
 * outages (one excluded with a reason), an announced maintenance window and one announced after it
 * began, and monitoring that began with the month. The facts are fixed offsets into the month in
 * the contract time zone: downtime of 7 h major, 3 h and 2 h partial (510 weighted minutes) puts
 * any month below 99 % (a 10 % credit) and above 95 %.
 *
 * @param monitoringSince when the demo's checks began (the month's first second)
 * @param monitoredUntil the month's end: nothing watched from then until the service first ran
 * @param tenantsSince when the demo tenants' state takes effect (a month earlier)
 */
public record DemoData(
    YearMonth month,
    Instant monitoringSince,
    Instant monitoredUntil,
    Instant tenantsSince,
    List<Tenant> tenants,
    List<DemoOutage> outages,
    List<DemoWindow> maintenance) {
  /** Who recorded the demo's rows, in their {@code recorded_by} and audit columns. */
  public static final String ACTOR = "demo";

  private static final String NOTE = " (Demo data recorded by serve --demo.)";
  private static final String NOTE_KO = " (serve --demo가 기록한 데모 데이터입니다.)";

  /**
   * An outage with the incident that told visitors about it.
   *
   * @param outageClass {@code major} or {@code partial}
   */
  public record DemoOutage(
      String component,
      List<String> cells,
      String outageClass,
      Instant start,
      Instant end,
      String titleEn,
      String titleKo,
      String messageEn,
      String messageKo,
      Optional<Exclusion> exclusion) {

    /** The page status the incident set while it was open. */
    public String impact() {
      return outageClass.equals("major") ? "major_outage" : "partial_outage";
    }
  }

  /** A maintenance window and when it was announced. */
  public record DemoWindow(
      String titleEn,
      String titleKo,
      String descriptionEn,
      String descriptionKo,
      List<String> components,
      Instant start,
      Instant end,
      Instant announced) {}

  /** The demo's facts for {@code month} in {@code zone}. */
  public static DemoData of(YearMonth month, ZoneId zone) {
    ContractMonth m = new ContractMonth(month, zone);
    List<Tenant> tenants =
        List.of(
            Tenant.of(
                "demo-island", "Island Bakery", "island", 3, "current", List.of("email/inbound")),
            Tenant.of(
                "demo-continent",
                "Continent Travel",
                "continent",
                12,
                "current",
                List.of("ticketing/kr-1", "email/inbound")),
            Tenant.of(
                "demo-earth",
                "Earth Telecom",
                "earth",
                25,
                "current",
                List.of("ticketing/kr-2", "email/outbound", "sns/line")),
            Tenant.of(
                "demo-universe",
                "Universe Games",
                "universe",
                80,
                "current",
                List.of("ticketing/kr-1", "ticketing/kr-2", "email/inbound", "email/outbound")),
            Tenant.of(
                "demo-overdue",
                "Overdue Retail",
                "earth",
                10,
                "past_due",
                List.of("ticketing/kr-1")),
            Tenant.of(
                "demo-former",
                "Former Logistics",
                "continent",
                5,
                "terminated",
                List.of("email/inbound")));
    List<DemoOutage> outages =
        List.of(
            new DemoOutage(
                "email",
                List.of("email/inbound", "email/outbound"),
                "major",
                at(month, zone, 6, 1, 0),
                at(month, zone, 6, 8, 0),
                "Email channel down",
                "이메일 채널 장애",
                "Inbound and outbound email stopped; queued messages were delivered after recovery."
                    + NOTE,
                "수신·발신 이메일이 멈췄고, 대기 중이던 메일은 복구 후 전달되었습니다." + NOTE_KO,
                Optional.empty()),
            new DemoOutage(
                "sns",
                List.of("sns/line"),
                "partial",
                at(month, zone, 13, 14, 0),
                at(month, zone, 13, 17, 0),
                "LINE connector down",
                "LINE 연동 장애",
                "Messages from LINE were not received; other connectors kept working." + NOTE,
                "LINE 메시지를 받지 못했고, 다른 연동은 정상이었습니다." + NOTE_KO,
                Optional.empty()),
            new DemoOutage(
                "ticketing",
                List.of("ticketing/kr-1", "ticketing/kr-2"),
                "major",
                at(month, zone, 18, 3, 0),
                at(month, zone, 18, 5, 0),
                "Ticketing unavailable",
                "티켓팅 사용 불가",
                "A regional power failure took the data centre down." + NOTE,
                "지역 정전으로 데이터 센터가 멈췄습니다." + NOTE_KO,
                Optional.of(
                    new Exclusion("force_majeure", "regional power grid failure (demo data)"))),
            new DemoOutage(
                "reports",
                List.of("reports/main"),
                "partial",
                at(month, zone, 26, 1, 0),
                at(month, zone, 26, 3, 0),
                "Reports and export unavailable",
                "리포트와 내보내기 사용 불가",
                "The reports database was migrated; the maintenance was announced only after it "
                    + "began, so it counts as downtime."
                    + NOTE,
                "리포트 데이터베이스를 이전했습니다. 점검 공지가 시작 후에 게시되어 장애 시간에 포함됩니다." + NOTE_KO,
                Optional.empty()));
    List<DemoWindow> maintenance =
        List.of(
            new DemoWindow(
                "Customer portal upgrade",
                "고객 포털 업그레이드",
                "The customer portal may be unavailable while it is upgraded." + NOTE,
                "업그레이드 중에는 고객 포털을 사용할 수 없을 수 있습니다." + NOTE_KO,
                List.of("portal"),
                at(month, zone, 22, 2, 0),
                at(month, zone, 22, 4, 0),
                at(month, zone, 12, 10, 0)),
            new DemoWindow(
                "Reports database migration",
                "리포트 데이터베이스 이전",
                "Reports and exports pause while their database moves." + NOTE,
                "데이터베이스 이전 중에는 리포트와 내보내기가 멈춥니다." + NOTE_KO,
                List.of("reports"),
                at(month, zone, 26, 1, 0),
                at(month, zone, 26, 3, 0),
                at(month, zone, 26, 1, 0).plus(Duration.ofMinutes(20))));
    return new DemoData(
        month, m.start(), m.end(), m.previous().start(), tenants, outages, maintenance);
  }

  private static Instant at(YearMonth month, ZoneId zone, int day, int hour, int minute) {
    return month.atDay(day).atTime(LocalTime.of(hour, minute)).atZone(zone).toInstant();
  }
}
