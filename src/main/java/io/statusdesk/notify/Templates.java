package io.statusdesk.notify;

import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * FreeMarker over the templates packaged under {@code /templates}: {@code .ftlh} files escape for
 * HTML, {@code .ftl} files are plain text.
 */
final class Templates {
  private final Configuration freemarker;

  Templates() {
    freemarker = new Configuration(Configuration.VERSION_2_3_33);
    freemarker.setClassForTemplateLoading(Templates.class, "/templates");
    freemarker.setDefaultEncoding("UTF-8");
    freemarker.setRecognizeStandardFileExtensions(true);
  }

  String render(String name, Map<String, Object> model) {
    try {
      StringWriter out = new StringWriter();
      freemarker.getTemplate(name).process(model, out);
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (TemplateException e) {
      throw new IllegalStateException("template " + name + " failed: " + e.getMessage(), e);
    }
  }
}
