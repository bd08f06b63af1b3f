package io.statusdesk.app;

import java.util.Map;

/**
 * The page a browser gets when something goes wrong: the status in the visitor's language, what to
 * do next, and the detail; light and dark like the rest of the site.
 */
final class ErrorPage {
  private static final Map<Integer, String[]> TITLES =
      Map.of(
          400, new String[] {"That request was not understood", "요청을 이해하지 못했습니다"},
          401, new String[] {"Sign-in needed", "로그인이 필요합니다"},
          403, new String[] {"Not allowed", "허용되지 않습니다"},
          404, new String[] {"Page not found", "페이지를 찾을 수 없습니다"},
          409, new String[] {"That cannot be done now", "지금은 처리할 수 없습니다"},
          429, new String[] {"Too many attempts", "시도가 너무 많습니다"},
          503, new String[] {"Temporarily unavailable", "일시적으로 사용할 수 없습니다"});
  private static final String[] FALLBACK = {"Something went wrong", "문제가 발생했습니다"};
  private static final String[] SIGN_IN_AGAIN = {
    "Sign-in links work once and expire within an hour: open your uptime page again from the "
        + "helpdesk.",
    "로그인 링크는 한 번만, 1시간 안에만 쓸 수 있습니다. 헬프데스크에서 가동률 페이지를 다시 여세요."
  };
  private static final String[] HOME = {"Back to the status page", "상태 페이지로 돌아가기"};

  private ErrorPage() {}

  static String html(int status, String detail, String lang) {
    int i = "ko".equals(lang) ? 1 : 0;
    String title = TITLES.getOrDefault(status, FALLBACK)[i];
    String hint = status == 401 ? "<p>" + SIGN_IN_AGAIN[i] + "</p>\n" : "";
    return """
    <!DOCTYPE html>
    <html lang="%s">
    <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark"><title>%d · %s</title>
    <link rel="stylesheet" href="/static/statusdesk.css"></head>
    <body><main id="main">
    <h1>%s</h1>
    %s<p class="muted">%s (%d)</p>
    <p><a href="/">%s</a></p>
    </main></body></html>
    """
        .formatted(
            lang, status, escape(title), escape(title), hint, escape(detail), status, HOME[i]);
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
