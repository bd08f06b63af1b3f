package io.statusdesk.outage;

import io.statusdesk.Localized;
import io.statusdesk.sla.OutageClass;

/**
 * What automatic incidents say, in English and Korean, from the component's names. English is
 * written headline-style, without a verb to agree with a name that may be plural ("SNS
 * connectors").
 */
public final class IncidentWording {
  private IncidentWording() {}

  /** The title names the worst it got: unavailable, or partially unavailable. */
  public static Localized title(Localized names, OutageClass outageClass) {
    return outageClass == OutageClass.MAJOR
        ? new Localized(names.en() + " unavailable", names.ko() + " 장애")
        : new Localized(names.en() + " partially unavailable", names.ko() + " 일부 장애");
  }

  public static Localized investigating(Localized names) {
    return new Localized(
        "We are investigating failures of " + names.en() + ".", names.ko() + " 장애를 조사하고 있습니다.");
  }

  public static Localized recovered(Localized names) {
    return new Localized(
        names.en() + ": working normally again.", names.ko() + " 서비스가 정상으로 돌아왔습니다.");
  }

  public static Localized classChanged(Localized names, OutageClass now) {
    return now == OutageClass.MAJOR
        ? new Localized(
            names.en() + ": now unavailable for everyone.", names.ko() + " 장애가 전체 사용자로 확대되었습니다.")
        : new Localized(
            names.en() + ": now unavailable for some customers only.",
            names.ko() + " 장애가 일부 사용자로 줄었습니다.");
  }
}
