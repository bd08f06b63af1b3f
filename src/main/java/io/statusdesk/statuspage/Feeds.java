package io.statusdesk.statuspage;

import io.statusdesk.Messages;
import io.statusdesk.maintenance.Occurrence;
import io.statusdesk.outage.Incident;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * RSS 2.0 and Atom (RFC 4287) feeds of incidents and maintenance with every update, and an
 * iCalendar (RFC 5545) feed of maintenance. XML is written by StAX and iCalendar by ical4j, so
 * every text is escaped by the writer, never by hand.
 */
final class Feeds {
  private static final String ATOM = "http://www.w3.org/2005/Atom";

  /**
   * One feed item: an incident or a maintenance occurrence, with its updates in its text.
   *
   * @param id a URL that names it for good: an incident's own page, a maintenance occurrence's
   *     month with a fragment
   */
  record Item(
      String id, String title, String link, Instant published, Instant updated, String text) {}

  private Feeds() {}

  static List<Item> items(
      StatusSnapshot snapshot, List<Occurrence> maintenance, String lang, String url) {
    List<Item> items = new ArrayList<>();
    var t = Messages.of(lang);
    for (Incident i : snapshot.recent()) {
      StringBuilder text = new StringBuilder();
      for (Incident.Update u : i.newestFirst()) {
        text.append(u.at())
            .append(" — ")
            .append(t.get("incident_" + u.status().apiValue()))
            .append(": ")
            .append(u.message().in(lang))
            .append('\n');
      }
      Instant updated = i.updatedAt();
      String page = url + "/incidents/" + i.id();
      items.add(
          new Item(
              page, i.title().in(lang), page, i.createdAt(), updated, text.toString().strip()));
    }
    for (Occurrence o : maintenance) {
      String text =
          t.get("upcoming_maintenance")
              + ": "
              + o.start()
              + " – "
              + o.end()
              + (o.shortNotice() ? " (" + t.get("short_notice") + ")" : "")
              + "\n"
              + o.window().description().in(lang);
      String month = url + "/history?month=" + YearMonth.from(o.start().atZone(snapshot.zone()));
      items.add(
          new Item(
              month + "#maintenance-" + o.window().id() + "-" + o.start().getEpochSecond(),
              o.window().title().in(lang),
              month,
              o.window().createdAt(),
              o.window().createdAt(),
              text.strip()));
    }
    items.sort(Comparator.comparing(Item::updated).reversed());
    return items;
  }

  static String rss(List<Item> items, String title, String url, String lang, Instant updated) {
    return Xml.document(
        w -> {
          w.writeStartElement("rss");
          w.writeAttribute("version", "2.0");
          w.writeStartElement("channel");
          Xml.element(w, "title", title);
          Xml.element(w, "link", url + "/");
          Xml.element(w, "description", title);
          Xml.element(w, "language", lang);
          Xml.element(w, "lastBuildDate", rfc1123(updated));
          for (Item item : items) {
            w.writeStartElement("item");
            Xml.element(w, "title", item.title());
            Xml.element(w, "link", item.link());
            w.writeStartElement("guid");
            w.writeAttribute("isPermaLink", String.valueOf(item.id().equals(item.link())));
            w.writeCharacters(item.id());
            w.writeEndElement();
            Xml.element(w, "pubDate", rfc1123(item.updated()));
            Xml.element(w, "description", item.text());
            w.writeEndElement();
          }
          w.writeEndElement();
          w.writeEndElement();
        });
  }

  static String atom(List<Item> items, String title, String url, String lang, Instant updated) {
    return Xml.document(
        w -> {
          w.setDefaultNamespace(ATOM);
          w.writeStartElement(ATOM, "feed");
          w.writeDefaultNamespace(ATOM);
          w.writeAttribute("xml:lang", lang);
          Xml.element(w, "id", url + "/history.atom");
          Xml.element(w, "title", title);
          Xml.element(w, "updated", updated.toString());
          link(w, url + "/history.atom", "self");
          link(w, url + "/", "alternate");
          w.writeStartElement("author");
          Xml.element(w, "name", title);
          w.writeEndElement();
          for (Item item : items) {
            w.writeStartElement("entry");
            Xml.element(w, "id", item.id());
            Xml.element(w, "title", item.title());
            Xml.element(w, "published", item.published().toString());
            Xml.element(w, "updated", item.updated().toString());
            link(w, item.link(), "alternate");
            w.writeStartElement("content");
            w.writeAttribute("type", "text");
            w.writeCharacters(item.text());
            w.writeEndElement();
            w.writeEndElement();
          }
          w.writeEndElement();
        });
  }

  /** Every maintenance occurrence as its own event (times in UTC), so no client expands rules. */
  static String ics(List<Occurrence> occurrences, String lang) {
    Calendar calendar = new Calendar();
    calendar.add(new ProdId("-//statusdesk//maintenance//" + lang.toUpperCase(Locale.ROOT)));
    calendar.add(ImmutableVersion.VERSION_2_0);
    calendar.add(ImmutableCalScale.GREGORIAN);
    for (Occurrence o : occurrences) {
      VEvent event = new VEvent(o.start(), o.end(), o.window().title().in(lang));
      event.replace(new DtStamp(o.window().createdAt()));
      event.add(
          new Uid(
              "maintenance-" + o.window().id() + "-" + o.start().getEpochSecond() + "@statusdesk"));
      String description = o.window().description().in(lang);
      if (!description.isBlank()) {
        event.add(new Description(description));
      }
      calendar.add(event);
    }
    return calendar.toString();
  }

  private static void link(XMLStreamWriter w, String href, String rel) throws XMLStreamException {
    w.writeEmptyElement("link");
    w.writeAttribute("href", href);
    w.writeAttribute("rel", rel);
  }

  private static String rfc1123(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }
}
