package io.statusdesk.notify;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;

/** What tests read of the mails GreenMail received. */
public final class Mails {
  private Mails() {}

  /** The plain-text body, decoded. */
  public static String text(MimeMessage m) {
    try {
      return (String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent();
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
