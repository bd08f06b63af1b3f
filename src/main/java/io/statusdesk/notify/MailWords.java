package io.statusdesk.notify;

import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The words of notifications, from {@code i18n/mail.properties} (English) and {@code
 * i18n/mail_ko.properties} (Korean).
 */
final class MailWords {
  static final MailWords EN = new MailWords(Locale.ROOT);
  static final MailWords KO = new MailWords(Locale.KOREAN);

  private final Map<String, String> words = new HashMap<>();
  private final Locale locale;

  private MailWords(Locale locale) {
    this.locale = locale;
    ResourceBundle bundle =
        ResourceBundle.getBundle(
            "i18n.mail",
            locale,
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    bundle.keySet().forEach(key -> words.put(key, bundle.getString(key)));
  }

  static MailWords of(String lang) {
    return "ko".equals(lang) ? KO : EN;
  }

  Map<String, String> all() {
    return Map.copyOf(words);
  }

  /** The word under {@code key}, with {@code args} in its {@code {0}}, {@code {1}}... */
  String get(String key, Object... args) {
    String pattern = words.get(key);
    if (pattern == null) {
      throw new IllegalArgumentException("no words for " + key);
    }
    return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
  }
}
