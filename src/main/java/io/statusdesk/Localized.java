package io.statusdesk;

import java.util.Locale;

/**
 * Text shown to people, in English and optionally Korean.
 *
 * @param en English text, always present
 * @param ko Korean text, or null to fall back to English
 */
public record Localized(String en, String ko) {

  public String in(Locale locale) {
    return ko != null && "ko".equals(locale.getLanguage()) ? ko : en;
  }
}
