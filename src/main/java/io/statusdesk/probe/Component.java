package io.statusdesk.probe;

import io.statusdesk.Localized;
import java.util.List;

/**
 * A helpdesk component as declared in checks.yaml.
 *
 * @param id stable id ({@code [a-z0-9-]+})
 * @param nameEn English display name
 * @param nameKo Korean display name (falls back to English)
 * @param group heading it is shown under, in English and Korean
 * @param impact what its full loss means for the SLA class
 * @param cells the cells that serve it, at least one
 */
public record Component(
    String id, String nameEn, String nameKo, Localized group, Impact impact, List<Cell> cells) {

  /** The display name in {@code lang} ({@code en} or {@code ko}). */
  public String name(String lang) {
    return "ko".equals(lang) && nameKo != null ? nameKo : nameEn;
  }
}
