package io.statusdesk.statuspage;

import java.math.BigDecimal;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Flat SVG badges (label on grey, value on the status colour), written as XML so both texts are
 * escaped, and given as the accessible title; widths come from a per-character estimate.
 */
final class Badges {
  private static final Map<String, String> COLOURS =
      Map.of(
          "operational",
          "#1f9d55",
          "degraded_performance",
          "#c98a00",
          "partial_outage",
          "#e0661b",
          "major_outage",
          "#d0312d",
          "under_maintenance",
          "#2f6fdd",
          "none",
          "#1f9d55",
          "minor",
          "#c98a00",
          "major",
          "#e0661b",
          "critical",
          "#d0312d",
          "maintenance",
          "#2f6fdd");
  private static final String GREY = "#555";

  private Badges() {}

  static String badge(String label, String value, String state) {
    String colour = COLOURS.getOrDefault(state, "#9aa3b1");
    int left = width(label);
    int right = width(value);
    return Xml.document(
        w -> {
          w.writeStartElement("svg");
          w.writeDefaultNamespace("http://www.w3.org/2000/svg");
          w.writeAttribute("width", String.valueOf(left + right));
          w.writeAttribute("height", "20");
          w.writeAttribute("role", "img");
          w.writeAttribute("aria-label", label + ": " + value);
          Xml.element(w, "title", label + ": " + value);
          rect(w, 0, left, GREY);
          rect(w, left, right, colour);
          w.writeStartElement("g");
          w.writeAttribute("fill", "#fff");
          w.writeAttribute("font-family", "Verdana,DejaVu Sans,sans-serif");
          w.writeAttribute("font-size", "11");
          text(w, 6, label);
          text(w, left + 6, value);
          w.writeEndElement();
          w.writeEndElement();
        });
  }

  private static void rect(XMLStreamWriter w, int x, int width, String fill)
      throws XMLStreamException {
    w.writeEmptyElement("rect");
    w.writeAttribute("x", String.valueOf(x));
    w.writeAttribute("width", String.valueOf(width));
    w.writeAttribute("height", "20");
    w.writeAttribute("fill", fill);
  }

  private static void text(XMLStreamWriter w, int x, String text) throws XMLStreamException {
    w.writeStartElement("text");
    w.writeAttribute("x", String.valueOf(x));
    w.writeAttribute("y", "14");
    w.writeCharacters(text);
    w.writeEndElement();
  }

  /** For uptime badges: green from 99.9 %, amber from 99 %, red below. */
  static String uptimeState(String percent) {
    if (percent.isEmpty()) {
      return "no_data";
    }
    BigDecimal p = new BigDecimal(percent);
    if (p.compareTo(new BigDecimal("99.9")) >= 0) {
      return "operational";
    }
    return p.compareTo(new BigDecimal("99")) >= 0 ? "degraded_performance" : "major_outage";
  }

  private static int width(String text) {
    int units = 0;
    for (int i = 0; i < text.length(); i++) {
      units +=
          Character.UnicodeBlock.HANGUL_SYLLABLES.equals(Character.UnicodeBlock.of(text.charAt(i)))
              ? 11
              : 7;
    }
    return units + 12;
  }
}
