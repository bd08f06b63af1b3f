package io.statusdesk.notify;

import io.statusdesk.Localized;
import java.time.ZoneId;
import java.util.Map;

/**
 * What every message of one service shares: the contract time zone its times are shown in, the
 * status page's public address its links lead to, and its components' names.
 */
public record MessageContext(ZoneId zone, String publicUrl, Map<String, Localized> components) {
  public MessageContext {
    components = Map.copyOf(components);
  }
}
