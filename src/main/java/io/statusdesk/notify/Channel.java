package io.statusdesk.notify;

/**
 * An operators' channel of checks.yaml: where it sends, and in which language ({@code lang: ko} for
 * a Korean team; English otherwise).
 */
public record Channel(Destination destination, String lang) {
  public Channel {
    if (!Event.LANGS.contains(lang)) {
      throw new IllegalArgumentException("lang must be en or ko");
    }
  }
}
