package io.statusdesk;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The words of the pages and the console, from the resource bundles {@code
 * i18n/messages.properties} (English) and {@code i18n/messages_ko.properties} (Korean); a test
 * keeps their keys and the templates' in step.
 */
public final class Messages {
  public static final Map<String, String> EN = load(Locale.ROOT);
  public static final Map<String, String> KO = load(Locale.KOREAN);

  private Messages() {}

  public static Map<String, String> of(String lang) {
    return "ko".equals(lang) ? KO : EN;
  }

  private static Map<String, String> load(Locale locale) {
    ResourceBundle bundle =
        ResourceBundle.getBundle(
            "i18n.messages",
            locale,
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    Map<String, String> out = new HashMap<>();
    bundle.keySet().forEach(key -> out.put(key, bundle.getString(key)));
    return Map.copyOf(out);
  }
}
