package io.statusdesk.notify;

import java.util.HashMap;
import java.util.Map;

/**
 * Lays a {@link MessageView} out as an email: an HTML body (the status page's look, inline styles
 * as mail readers want them) and a plain-text one, from the FreeMarker templates in {@code
 * templates/mail/}, in the message's language. Who receives it decides its footer.
 */
final class MailTemplates {
  /** Why a recipient gets the message, said at its foot. */
  enum Footer {
    /** A subscriber: the footer links to manage and unsubscribe. */
    SUBSCRIBER,
    /** A tenant's statement address. */
    CONTACT,
    /** An operators' alert channel. */
    ALERT,
    /** Someone asking to subscribe, not yet confirmed. */
    CONFIRM
  }

  /** An email's parts. */
  record Mail(String subject, String text, String html) {}

  private final Templates templates = new Templates();
  private final String publicUrl;

  MailTemplates(String publicUrl) {
    this.publicUrl = publicUrl;
  }

  /** {@code footerName} fills the footer: the site, the tenant or the channel. */
  Mail render(MessageView view, String lang, Footer footer, String footerName) {
    MailWords w = MailWords.of(lang);
    Map<String, Object> model = new HashMap<>();
    model.put("lang", lang);
    model.put("t", w.all());
    model.put("site", w.get("site"));
    model.put("page_url", publicUrl + "/");
    model.put("subject", view.subject());
    model.put("title", view.title());
    model.put("tone", view.tone());
    model.put("facts", view.facts());
    model.put("timeline", view.timeline());
    model.put("paragraphs", view.paragraphs());
    model.put("link_label", view.linkLabel());
    model.put("link_url", view.linkUrl());
    if (view.badge() != null) {
      model.put("badge", view.badge());
    }
    if (view.intro() != null) {
      model.put("intro", view.intro());
    }
    model.put(
        "footer",
        switch (footer) {
          case SUBSCRIBER -> w.get("footer_subscriber", footerName);
          case CONTACT -> w.get("footer_contact", footerName);
          case ALERT -> w.get("footer_alert", footerName);
          case CONFIRM -> w.get("footer_confirm", footerName);
        });
    if (footer == Footer.SUBSCRIBER) {
      model.put("manage_url", Links.MANAGE);
      model.put("unsubscribe_url", Links.UNSUBSCRIBE);
    }
    return new Mail(
        view.subject(),
        templates.render("mail/message.txt.ftl", model),
        templates.render("mail/message.ftlh", model));
  }
}
