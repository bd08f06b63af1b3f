package io.statusdesk.statuspage;

import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Writes XML documents (feeds, badges) through StAX, which escapes every text and attribute. */
final class Xml {
  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

  private Xml() {}

  interface Body {
    void write(XMLStreamWriter w) throws XMLStreamException;
  }

  static String document(Body body) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = FACTORY.createXMLStreamWriter(out);
      w.writeStartDocument("UTF-8", "1.0");
      body.write(w);
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
    w.writeStartElement(name);
    w.writeCharacters(text);
    w.writeEndElement();
  }
}
