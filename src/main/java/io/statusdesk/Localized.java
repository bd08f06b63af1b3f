package io.statusdesk;

/**
 * Text shown to people, in English and optionally Korean.
 *
 * @param en English text, always present
 * @param ko Korean text, or null to fall back to English
 */
public record Localized(String en, String ko) {

  /** The text in {@code lang} ({@code en} or {@code ko}), English when there is no Korean. */
  public String in(String lang) {
    return ko != null && "ko".equals(lang) ? ko : en;
  }
}
