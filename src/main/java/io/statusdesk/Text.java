package io.statusdesk;

/** What free text people type may hold, wherever it comes from (JSON, CSV, forms). */
public final class Text {
  private Text() {}

  /**
   * The first control character in {@code text} (NUL among them, which PostgreSQL cannot store), or
   * -1: a one-line field may hold none, a paragraph only line breaks and tabs.
   */
  public static int controlCharacter(String text, boolean paragraph) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
      if (control && !(paragraph && (c == '\n' || c == '\r' || c == '\t'))) {
        return c;
      }
    }
    return -1;
  }

  /** The message a field with a control character gets. */
  public static String controlCharacterMessage(String field, int c) {
    return field
        + ": must not contain control characters (found U+"
        + String.format("%04X", c)
        + ")";
  }
}
