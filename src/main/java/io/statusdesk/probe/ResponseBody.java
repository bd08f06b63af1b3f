package io.statusdesk.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A response body as a probe's conditions read it: its text, and its JSON parsed at most once
 * however many conditions look into it. Confined to the probe's event loop.
 */
public final class ResponseBody {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String text;
  private JsonNode json;
  private boolean parsed;

  private ResponseBody(String text) {
    this.text = text;
  }

  /** The body of {@code text}, or null when there was none. */
  public static ResponseBody of(String text) {
    return text == null ? null : new ResponseBody(text);
  }

  public String text() {
    return text;
  }

  /** The body as JSON, or null when it is not JSON. */
  JsonNode json() {
    if (!parsed) {
      parsed = true;
      try {
        json = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        json = null;
      }
    }
    return json;
  }
}
