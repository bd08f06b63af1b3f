package io.statusdesk.app;

import java.util.List;

/** Configuration that cannot run; each error reads {@code file:line: message}. */
public final class ConfigException extends Exception {
  private final List<String> errors;

  public ConfigException(List<String> errors) {
    super(String.join("\n", errors), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
