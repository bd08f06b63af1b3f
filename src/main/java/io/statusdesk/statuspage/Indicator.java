package io.statusdesk.statuspage;

import io.statusdesk.outage.ComponentStatus;
import java.util.Collection;
import java.util.Locale;

/** The page's overall status in Statuspage's terms, from the worst component status. */
public enum Indicator {
  NONE("All Systems Operational", "모든 시스템 정상"),
  MAINTENANCE("Service Under Maintenance", "점검 중"),
  MINOR("Minor Service Outage", "일부 성능 저하"),
  MAJOR("Partial System Outage", "일부 시스템 장애"),
  CRITICAL("Major System Outage", "주요 시스템 장애");

  public final String descriptionEn;
  public final String descriptionKo;

  Indicator(String en, String ko) {
    this.descriptionEn = en;
    this.descriptionKo = ko;
  }

  public String apiValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String description(String lang) {
    return "ko".equals(lang) ? descriptionKo : descriptionEn;
  }

  public static Indicator of(Collection<ComponentStatus> statuses) {
    ComponentStatus worst =
        statuses.stream().max(Enum::compareTo).orElse(ComponentStatus.OPERATIONAL);
    return switch (worst) {
      case MAJOR_OUTAGE -> CRITICAL;
      case PARTIAL_OUTAGE -> MAJOR;
      case DEGRADED_PERFORMANCE -> MINOR;
      case UNDER_MAINTENANCE -> MAINTENANCE;
      case OPERATIONAL -> NONE;
    };
  }
}
