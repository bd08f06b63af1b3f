package io.statusdesk.maintenance;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.WeekDay;
import net.fortuna.ical4j.transform.recurrence.Frequency;

/**
 * A maintenance series in words for the status page, in English or Korean: "every Tuesday
 * 02:00–04:00 KST", "매주 화요일 02:00–04:00 KST". Rules beyond the usual shapes are named as they are
 * written.
 */
public final class SeriesText {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);
  private static final String[] ORDINALS_EN = {
    "last", "first", "second", "third", "fourth", "fifth"
  };
  private static final String[] ORDINALS_KO = {"마지막", "첫째", "둘째", "셋째", "넷째", "다섯째"};

  private SeriesText() {}

  /** {@code seed}: the first occurrence's start in the contract zone. */
  public static String describe(String rule, ZonedDateTime seed, Duration length, String lang) {
    boolean ko = "ko".equals(lang);
    Recur<ZonedDateTime> recur = Recurrence.parse(rule);
    String when = when(recur, seed, ko);
    String times =
        TIME.format(seed) + "–" + TIME.format(seed.plus(length)) + " " + ZONE.format(seed);
    return when == null ? (ko ? "반복: " : "repeats: ") + rule + " " + times : when + " " + times;
  }

  private static String when(Recur<ZonedDateTime> recur, ZonedDateTime seed, boolean ko) {
    int every = Math.max(1, recur.getInterval());
    Frequency f = recur.getFrequency();
    if (!recur.getHourList().isEmpty()
        || !recur.getMinuteList().isEmpty()
        || !recur.getSetPosList().isEmpty()
        || !recur.getYearDayList().isEmpty()
        || !recur.getWeekNoList().isEmpty()) {
      return null;
    }
    if (f == Frequency.DAILY && recur.getDayList().isEmpty()) {
      return every == 1
          ? (ko ? "매일" : "every day")
          : ko ? every + "일마다" : "every " + every + " days";
    }
    if (f == Frequency.WEEKLY || f == Frequency.DAILY) {
      List<String> days = new ArrayList<>();
      List<WeekDay> given = recur.getDayList();
      if (given.isEmpty()) {
        days.add(day(seed.getDayOfWeek(), ko));
      }
      for (WeekDay d : given) {
        days.add(day(WeekDay.getDayOfWeek(d), ko));
      }
      String list = ko ? String.join("·", days) : join(days);
      if (every == 1) {
        return ko ? "매주 " + list : "every " + list;
      }
      return ko ? every + "주마다 " + list : "every " + every + " weeks on " + list;
    }
    if (f == Frequency.MONTHLY) {
      String prefix =
          every == 1
              ? (ko ? "매월 " : "monthly on ")
              : ko ? every + "개월마다 " : "every " + every + " months on ";
      if (!recur.getMonthDayList().isEmpty()) {
        List<String> dates =
            recur.getMonthDayList().stream()
                .map(d -> ko ? d + "일" : d < 0 ? "the last day" : "day " + d)
                .toList();
        return prefix + (ko ? String.join("·", dates) : join(dates));
      }
      if (recur.getDayList().size() == 1 && recur.getDayList().get(0).getOffset() != 0) {
        WeekDay d = recur.getDayList().get(0);
        int n = d.getOffset() < 0 ? 0 : Math.min(d.getOffset(), 5);
        String day = day(WeekDay.getDayOfWeek(d), ko);
        return prefix + (ko ? ORDINALS_KO[n] + " " + day : "the " + ORDINALS_EN[n] + " " + day);
      }
      if (recur.getDayList().isEmpty()) {
        return prefix + (ko ? seed.getDayOfMonth() + "일" : "day " + seed.getDayOfMonth());
      }
      return null;
    }
    if (f == Frequency.YEARLY && recur.getDayList().isEmpty() && every == 1) {
      return ko
          ? "매년 " + seed.getMonthValue() + "월 " + seed.getDayOfMonth() + "일"
          : "every year on "
              + seed.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)
              + " "
              + seed.getDayOfMonth();
    }
    return null;
  }

  private static String day(DayOfWeek d, boolean ko) {
    return d.getDisplayName(TextStyle.FULL, ko ? Locale.KOREAN : Locale.ENGLISH);
  }

  private static String join(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " and "
        + items.get(items.size() - 1);
  }
}
