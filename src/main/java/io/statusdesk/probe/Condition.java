package io.statusdesk.probe;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One check condition in Gatus' syntax, e.g. {@code [STATUS] == 200}, {@code [BODY].status == UP},
 * {@code len([BODY].items) > 0}, {@code [BODY] == pat(*ok*)}, {@code [CERTIFICATE_EXPIRATION] >
 * 336h}.
 *
 * <p>Placeholders: {@code [STATUS]}, {@code [RESPONSE_TIME]} (ms), {@code [BODY]}, {@code
 * [BODY].json.path[0]}, {@code [CONNECTED]}, {@code [CERTIFICATE_EXPIRATION]} (ms). Operators
 * {@code == != < <= > >=}; functions {@code len()}, {@code has()} on a placeholder, {@code pat()}
 * (glob with {@code *} and {@code ?}) and {@code any(a, b)} on the right of {@code ==}/{@code !=}.
 * A duration literal such as {@code 48h} means milliseconds, so it compares with the time
 * placeholders.
 */
public final class Condition {

  /** The placeholders, so configuration can refuse ones a probe type cannot observe. */
  public enum Placeholder {
    STATUS,
    RESPONSE_TIME,
    BODY,
    CONNECTED,
    CERTIFICATE_EXPIRATION
  }

  private enum Operator {
    EQ("=="),
    NE("!="),
    LE("<="),
    GE(">="),
    LT("<"),
    GT(">");

    final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }
  }

  private static final Pattern STEP = Pattern.compile("\\.([^.\\[\\]]+)|\\[(\\d+)]");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\[([A-Z_]+)](.*)");
  private static final Pattern JSON_PATH = Pattern.compile("(?:\\.[^.\\[\\]]+|\\[\\d+])*");
  private static final Pattern FUNCTION = Pattern.compile("([a-z]+)\\((.*)\\)");
  private static final int MAX_SHOWN = 80;

  private final String text;
  private final Operand left;
  private final Operator operator;
  private final Operand right;

  private Condition(String text, Operand left, Operator operator, Operand right) {
    this.text = text;
    this.left = left;
    this.operator = operator;
    this.right = right;
  }

  /** Parses a condition or throws {@link IllegalArgumentException} saying what is wrong. */
  public static Condition parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty condition");
    }
    String trimmed = text.trim();
    if (count(trimmed, '[') != count(trimmed, ']') || count(trimmed, '(') != count(trimmed, ')')) {
      throw new IllegalArgumentException("condition '" + trimmed + "' has unbalanced brackets");
    }
    for (Operator op : Operator.values()) {
      int at = indexOfOperator(trimmed, op.symbol);
      if (at < 0) {
        continue;
      }
      String l = trimmed.substring(0, at).trim();
      String r = trimmed.substring(at + op.symbol.length()).trim();
      if (l.isEmpty() || r.isEmpty()) {
        throw new IllegalArgumentException(
            "condition '" + trimmed + "' needs a value on both sides of " + op.symbol);
      }
      Operand left = Operand.parse(l, trimmed);
      Operand right = Operand.parse(r, trimmed);
      boolean matcher =
          left.function == Function.PAT
              || left.function == Function.ANY
              || right.function == Function.PAT
              || right.function == Function.ANY;
      if (matcher && op != Operator.EQ && op != Operator.NE) {
        throw new IllegalArgumentException(
            "condition '" + trimmed + "': pat() and any() work only with == and !=");
      }
      if (left.placeholder == null && right.placeholder == null) {
        throw new IllegalArgumentException(
            "condition '"
                + trimmed
                + "' compares two constants; use a placeholder such as "
                + "[STATUS], [BODY], [RESPONSE_TIME], [CONNECTED] or [CERTIFICATE_EXPIRATION]");
      }
      return new Condition(trimmed, left, op, right);
    }
    throw new IllegalArgumentException(
        "condition '" + trimmed + "' has no operator (use ==, !=, <, <=, > or >=)");
  }

  /** The placeholders this condition reads. */
  public Set<Placeholder> placeholders() {
    Set<Placeholder> used = EnumSet.noneOf(Placeholder.class);
    if (left.placeholder != null) {
      used.add(left.placeholder);
    }
    if (right.placeholder != null) {
      used.add(right.placeholder);
    }
    return used;
  }

  public String text() {
    return text;
  }

  /**
   * Judges one observation. Empty when the condition holds; otherwise how it failed, Gatus-style:
   * {@code [STATUS] (503) == 200}.
   */
  public Optional<String> failure(Observation observation) {
    Resolved l = left.resolve(observation);
    Resolved r = right.resolve(observation);
    boolean ok = l.valid && r.valid && holds(l, r);
    if (ok) {
      return Optional.empty();
    }
    return Optional.of(describe(left, l) + " " + operator.symbol + " " + describe(right, r));
  }

  private boolean holds(Resolved l, Resolved r) {
    if (operator == Operator.EQ || operator == Operator.NE) {
      boolean equal;
      if (r.operand.function == Function.PAT || r.operand.function == Function.ANY) {
        equal = r.operand.matches(l.value);
      } else if (l.operand.function == Function.PAT || l.operand.function == Function.ANY) {
        equal = l.operand.matches(r.value);
      } else {
        equal = sameValue(l.value, r.value);
      }
      return (operator == Operator.EQ) == equal;
    }
    BigDecimal a = number(l.value);
    BigDecimal b = number(r.value);
    if (a == null || b == null) {
      return false;
    }
    int c = a.compareTo(b);
    return switch (operator) {
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      default -> c >= 0;
    };
  }

  private static boolean sameValue(String a, String b) {
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    if (x != null && y != null) {
      return x.compareTo(y) == 0;
    }
    return a.equals(b);
  }

  private static BigDecimal number(String value) {
    if (value == null) {
      return null;
    }
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      return Durations.looksLikeDuration(value)
          ? BigDecimal.valueOf(Durations.parse(value).toMillis())
          : null;
    }
  }

  private static String describe(Operand operand, Resolved resolved) {
    if (operand.placeholder == null) {
      return operand.source;
    }
    String shown = resolved.valid ? resolved.value : "INVALID";
    if (shown.length() > MAX_SHOWN) {
      shown = shown.substring(0, MAX_SHOWN) + "...";
    }
    return operand.source + " (" + shown + ")";
  }

  /**
   * Finds the operator outside brackets, parentheses and so that {@code <} never eats {@code <=}.
   */
  private static int indexOfOperator(String s, String symbol) {
    int depth = 0;
    for (int i = 0; i + symbol.length() <= s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
      } else if (depth == 0 && s.startsWith(symbol, i)) {
        boolean single = symbol.length() == 1;
        boolean partOfLonger = single && i + 1 < s.length() && s.charAt(i + 1) == '=';
        boolean tailOfLonger = i > 0 && "<>=!".indexOf(s.charAt(i - 1)) >= 0;
        if (!partOfLonger && !tailOfLonger) {
          return i;
        }
      }
    }
    return -1;
  }

  private static long count(String s, char c) {
    return s.chars().filter(x -> x == c).count();
  }

  @Override
  public String toString() {
    return text;
  }

  private enum Function {
    NONE,
    LEN,
    HAS,
    PAT,
    ANY
  }

  private record Resolved(Operand operand, boolean valid, String value) {}

  /** One side of a condition: a placeholder (maybe inside len/has), a literal, pat() or any(). */
  private static final class Operand {
    final String source;
    final Function function;
    final Placeholder placeholder;
    final String jsonPath;

    /** The JSON path as a pointer, compiled once: {@code .a.b[0]} is {@code /a/b/0}. */
    final JsonPointer pointer;

    final List<String> literals;
    final Pattern glob;

    private Operand(
        String source,
        Function function,
        Placeholder placeholder,
        String jsonPath,
        List<String> literals,
        Pattern glob) {
      this.source = source;
      this.function = function;
      this.placeholder = placeholder;
      this.jsonPath = jsonPath;
      this.pointer = jsonPath == null || jsonPath.isEmpty() ? null : pointer(jsonPath);
      this.literals = literals;
      this.glob = glob;
    }

    static Operand parse(String source, String condition) {
      var fn = FUNCTION.matcher(source);
      if (fn.matches()) {
        String name = fn.group(1);
        String inner = fn.group(2).trim();
        switch (name) {
          case "len", "has" -> {
            Operand target = parse(inner, condition);
            if (target.placeholder == null || target.function != Function.NONE) {
              throw new IllegalArgumentException(
                  "condition '"
                      + condition
                      + "': "
                      + name
                      + "() takes a placeholder, got '"
                      + inner
                      + "'");
            }
            return new Operand(
                source,
                name.equals("len") ? Function.LEN : Function.HAS,
                target.placeholder,
                target.jsonPath,
                List.of(),
                null);
          }
          case "pat" -> {
            return new Operand(source, Function.PAT, null, null, List.of(inner), glob(inner));
          }
          case "any" -> {
            List<String> values = new ArrayList<>();
            for (String v : inner.split(",", -1)) {
              if (v.isBlank()) {
                throw new IllegalArgumentException(
                    "condition '" + condition + "': any() has an empty value");
              }
              values.add(v.trim());
            }
            return new Operand(source, Function.ANY, null, null, List.copyOf(values), null);
          }
          default ->
              throw new IllegalArgumentException(
                  "condition '"
                      + condition
                      + "': unknown function "
                      + name
                      + "() (use len, has, pat or any)");
        }
      }
      var ph = PLACEHOLDER.matcher(source);
      if (ph.matches()) {
        Placeholder placeholder;
        try {
          placeholder = Placeholder.valueOf(ph.group(1));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "condition '"
                  + condition
                  + "': unknown placeholder ["
                  + ph.group(1)
                  + "] (use "
                  + "[STATUS], [RESPONSE_TIME], [BODY], [CONNECTED], [CERTIFICATE_EXPIRATION])");
        }
        String path = ph.group(2);
        if (!path.isEmpty() && placeholder != Placeholder.BODY) {
          throw new IllegalArgumentException(
              "condition '"
                  + condition
                  + "': only [BODY] takes a JSON path, not ["
                  + placeholder
                  + "]");
        }
        if (!JSON_PATH.matcher(path).matches()) {
          throw new IllegalArgumentException(
              "condition '"
                  + condition
                  + "': bad JSON path '"
                  + path
                  + "' (write [BODY].field.list[0].name)");
        }
        return new Operand(source, Function.NONE, placeholder, path, List.of(), null);
      }
      if (source.startsWith("[")) {
        throw new IllegalArgumentException(
            "condition '" + condition + "': malformed placeholder '" + source + "'");
      }
      return new Operand(source, Function.NONE, null, null, List.of(source), null);
    }

    boolean matches(String value) {
      if (value == null) {
        return false;
      }
      if (function == Function.PAT) {
        return glob.matcher(value).matches();
      }
      for (String candidate : literals) {
        if (sameValue(value, candidate)) {
          return true;
        }
      }
      return false;
    }

    Resolved resolve(Observation o) {
      if (placeholder == null) {
        return new Resolved(this, true, literals.isEmpty() ? source : literals.get(0));
      }
      Optional<String> raw =
          switch (placeholder) {
            case STATUS -> Optional.ofNullable(o.status()).map(String::valueOf);
            case RESPONSE_TIME ->
                Optional.ofNullable(o.responseTime()).map(d -> String.valueOf(d.toMillis()));
            case CONNECTED -> Optional.of(String.valueOf(o.connected()));
            case CERTIFICATE_EXPIRATION ->
                Optional.ofNullable(o.certificateExpiration())
                    .map(d -> String.valueOf(d.toMillis()));
            case BODY -> body(o.body());
          };
      return switch (function) {
        case HAS -> new Resolved(this, true, String.valueOf(raw.isPresent()));
        case LEN ->
            raw.map(v -> new Resolved(this, true, String.valueOf(length(o.body(), v))))
                .orElse(new Resolved(this, false, null));
        default ->
            raw.map(v -> new Resolved(this, true, v)).orElse(new Resolved(this, false, null));
      };
    }

    private int length(ResponseBody body, String resolved) {
      if (placeholder == Placeholder.BODY && pointer != null) {
        JsonNode node = node(body);
        if (node != null && (node.isArray() || node.isObject())) {
          return node.size();
        }
      }
      return resolved.length();
    }

    private Optional<String> body(ResponseBody body) {
      if (body == null) {
        return Optional.empty();
      }
      if (pointer == null) {
        return Optional.of(body.text());
      }
      JsonNode node = node(body);
      if (node == null || node.isMissingNode()) {
        return Optional.empty();
      }
      return Optional.of(node.isValueNode() ? node.asText() : node.toString());
    }

    private JsonNode node(ResponseBody body) {
      JsonNode json = body.json();
      return json == null ? null : json.at(pointer);
    }

    private static JsonPointer pointer(String path) {
      StringBuilder out = new StringBuilder();
      var step = STEP.matcher(path);
      while (step.find()) {
        String name = step.group(1) != null ? step.group(1) : step.group(2);
        out.append('/').append(name.replace("~", "~0").replace("/", "~1"));
      }
      return JsonPointer.compile(out.toString());
    }

    private static Pattern glob(String pattern) {
      StringBuilder regex = new StringBuilder();
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        switch (c) {
          case '*' -> regex.append(".*");
          case '?' -> regex.append('.');
          default -> regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
  }
}
