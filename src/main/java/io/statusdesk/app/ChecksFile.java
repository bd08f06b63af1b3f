package io.statusdesk.app;

import io.statusdesk.Localized;
import io.statusdesk.admin.Auth;
import io.statusdesk.ledger.BillingSettings;
import io.statusdesk.notify.AlertRoute;
import io.statusdesk.notify.Backoff;
import io.statusdesk.notify.Channel;
import io.statusdesk.notify.Destination;
import io.statusdesk.notify.EmailAddress;
import io.statusdesk.notify.EventKind;
import io.statusdesk.notify.NotifySettings;
import io.statusdesk.notify.QuietHours;
import io.statusdesk.notify.RateLimit;
import io.statusdesk.notify.WebhookSignature;
import io.statusdesk.outage.IncidentSettings;
import io.statusdesk.probe.Cell;
import io.statusdesk.probe.Component;
import io.statusdesk.probe.Condition;
import io.statusdesk.probe.Durations;
import io.statusdesk.probe.Impact;
import io.statusdesk.probe.Locations;
import io.statusdesk.probe.ProbeSettings;
import io.statusdesk.probe.Quorum;
import io.statusdesk.probe.Target;
import io.statusdesk.probe.Timing;
import io.statusdesk.tenant.Plan;
import io.statusdesk.tenant.Plans;
import io.statusdesk.tenant.Tenant;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads checks.yaml into a {@link ChecksConfig}, collecting every error with its line so an
 * operator fixes the file in one pass. {@code ${VAR}} and {@code ${VAR:-default}} in urls, headers,
 * bodies and tokens are expanded from the environment; their values are never echoed.
 */
public final class ChecksFile {
  private static final Pattern ID = Pattern.compile("[a-z0-9-]+");
  private static final Pattern LOCATION = Pattern.compile("[a-z0-9-]{1,32}");
  private static final Pattern ENV =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Set<String> PLAN_KEYS = Set.of("price", "max_members");
  private static final Set<String> TOP_KEYS =
      Set.of(
          "timezone",
          "retention_days",
          "max_in_flight",
          "defaults",
          "components",
          "plans",
          "close_grace",
          "update_debounce",
          "notifications",
          "channels",
          "alerts",
          "locations",
          "quorum");
  private static final Set<String> NOTIFICATION_KEYS =
      Set.of("retry_for", "first_retry", "max_retry_interval", "rate_limit", "reminders");
  private static final Set<String> ALERT_KEYS =
      Set.of("channel", "events", "components", "quiet_hours");
  private static final Map<String, Set<String>> CHANNEL_KEYS =
      Map.of(
          "email", Set.of("type", "lang", "to"),
          "webhook", Set.of("type", "lang", "url", "secret"),
          "slack", Set.of("type", "lang", "url"),
          "telegram", Set.of("type", "lang", "token", "chat_id", "api_url"),
          "jandi", Set.of("type", "lang", "url"),
          "teams", Set.of("type", "lang", "url"));
  private static final Set<String> TIMING_KEYS =
      Set.of("interval", "timeout", "failure_threshold", "success_threshold", "degraded_ms");
  private static final Set<String> PROBE_KEYS =
      Set.of("url", "method", "headers", "body", "conditions", "heartbeat", "insecure_tls");
  private static final Set<String> COMPONENT_KEYS =
      union(Set.of("id", "name", "group", "impact", "cells"), TIMING_KEYS, PROBE_KEYS);
  private static final Set<String> CELL_KEYS = union(Set.of("id"), TIMING_KEYS, PROBE_KEYS);
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Timing BUILT_IN =
      new Timing(Duration.ofSeconds(30), Duration.ofSeconds(5), 3, 2, Duration.ofSeconds(2));

  private final String source;
  private final Function<String, String> env;
  private final List<String> errors = new ArrayList<>();

  private ChecksFile(String source, Function<String, String> env) {
    this.source = source;
    this.env = env;
  }

  public static ChecksConfig load(Path file, Function<String, String> env) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ":1: cannot read: " + e.getMessage()));
    }
    return parse(file.toString(), text, env);
  }

  public static ChecksConfig parse(String source, String text, Function<String, String> env)
      throws ConfigException {
    return new ChecksFile(source, env).read(text);
  }

  private ChecksConfig read(String text) throws ConfigException {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(List.of(source + ":" + line + ": " + e.getProblem()));
    }
    if (root == null) {
      throw new ConfigException(List.of(source + ":1: the file is empty"));
    }
    Map<String, Node> top = entries(root, TOP_KEYS, "the top level");
    ZoneId zone = ZoneId.of("Asia/Seoul");
    if (top.containsKey("timezone")) {
      String name = scalar(top.get("timezone"), "timezone");
      try {
        zone = ZoneId.of(name);
      } catch (DateTimeException | NullPointerException e) {
        error(top.get("timezone"), "timezone '" + name + "' is not a known zone (e.g. Asia/Seoul)");
      }
    }
    int retention = integer(top.get("retention_days"), "retention_days", 30, 1, 3650);
    int maxInFlight = integer(top.get("max_in_flight"), "max_in_flight", 512, 1, 100_000);
    Timing defaults = timing(top.get("defaults"), BUILT_IN, "defaults");
    Plans plans = plans(top.get("plans"));
    Duration closeGrace = duration(top.get("close_grace"), "close_grace", Duration.ofDays(3));
    Duration debounce =
        duration(top.get("update_debounce"), "update_debounce", Duration.ofSeconds(60));
    if (debounce.compareTo(Duration.ofHours(1)) > 0) {
      error(top.get("update_debounce"), "update_debounce must be at most 1h");
    }
    if (closeGrace.compareTo(Duration.ofDays(28)) > 0) {
      error(top.get("close_grace"), "close_grace must be at most 28d");
    }
    Locations locations = locations(top.get("locations"), top.get("quorum"));
    List<Component> components = new ArrayList<>();
    Node list = top.get("components");
    if (list == null) {
      error(root, "'components' is missing: declare at least one component");
    } else if (list instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
      Set<String> ids = new HashSet<>();
      for (Node item : seq.getValue()) {
        Component c = component(item, defaults);
        if (c != null && !ids.add(c.id())) {
          error(item, "duplicate component id '" + c.id() + "'");
        }
        if (c != null) {
          components.add(c);
        }
      }
    } else {
      error(list, "'components' must be a non-empty list");
    }
    NotifySettings notify =
        notifications(
            top.get("notifications"),
            top.get("channels"),
            top.get("alerts"),
            components.stream().map(Component::id).collect(Collectors.toSet()));
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new ChecksConfig(
        source,
        zone,
        new ProbeSettings(retention, maxInFlight, List.copyOf(components)),
        new BillingSettings(plans, closeGrace),
        new IncidentSettings(debounce),
        notify,
        locations);
  }

  /**
   * {@code notifications:} (retries, rate limit, reminders), {@code channels:} (name: {type, ...})
   * and {@code alerts:} (routes from events and components to a channel).
   */
  private NotifySettings notifications(
      Node settings, Node channelsNode, Node alertsNode, Set<String> componentIds) {
    NotifySettings defaults = NotifySettings.defaults();
    Map<String, Node> map =
        settings == null ? Map.of() : entries(settings, NOTIFICATION_KEYS, "notifications");
    Duration retryFor = duration(map.get("retry_for"), "retry_for", Duration.ofHours(24));
    Duration first = duration(map.get("first_retry"), "first_retry", Duration.ofSeconds(30));
    Duration max =
        duration(map.get("max_retry_interval"), "max_retry_interval", Duration.ofHours(1));
    Backoff retry = defaults.retry();
    if (retryFor != null && first != null && max != null) {
      if (retryFor.compareTo(Duration.ofSeconds(10)) < 0
          || retryFor.compareTo(Duration.ofDays(7)) > 0) {
        error(map.getOrDefault("retry_for", settings), "retry_for must be between 10s and 7d");
      } else if (first.compareTo(Duration.ofSeconds(1)) < 0 || first.compareTo(max) > 0) {
        error(
            map.getOrDefault("first_retry", settings),
            "first_retry must be at least 1s and at most max_retry_interval");
      } else {
        retry = new Backoff(first, max, retryFor);
      }
    }
    RateLimit rateLimit = defaults.rateLimit();
    Node limit = map.get("rate_limit");
    if (limit != null) {
      Map<String, Node> l = entries(limit, Set.of("messages", "per"), "rate_limit");
      int messages = integer(l.get("messages"), "rate_limit.messages", 10, 1, 1000);
      Duration per = duration(l.get("per"), "rate_limit.per", Duration.ofHours(1));
      if (per != null
          && (per.compareTo(Duration.ofMinutes(1)) < 0 || per.compareTo(Duration.ofDays(1)) > 0)) {
        error(l.get("per"), "rate_limit.per must be between 1m and 1d");
      } else if (per != null) {
        rateLimit = new RateLimit(messages, per);
      }
    }
    List<Duration> reminders = defaults.reminders();
    Node reminderList = map.get("reminders");
    if (reminderList instanceof SequenceNode seq) {
      List<Duration> given = new ArrayList<>();
      for (Node item : seq.getValue()) {
        Duration d = duration(item, "reminder", null);
        if (d != null
            && (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(30)) > 0)) {
          error(item, "reminders must be between 1m and 30d before the start");
        } else if (d != null && given.contains(d)) {
          error(item, "reminder " + scalar(item, "reminder") + " is listed twice");
        } else if (d != null) {
          given.add(d);
        }
      }
      if (given.size() > 5) {
        error(reminderList, "at most 5 reminders");
      }
      reminders = List.copyOf(given);
    } else if (reminderList != null) {
      error(reminderList, "reminders must be a list of durations, e.g. [7d, 24h, 1h] (or [])");
    }
    Map<String, Channel> channels = new LinkedHashMap<>();
    if (channelsNode != null) {
      for (NodeTuple t : mapping(channelsNode, "channels")) {
        String name = scalar(t.getKeyNode(), "a channel name");
        if (name == null || !ID.matcher(name).matches()) {
          error(t.getKeyNode(), "channel names match [a-z0-9-]+");
          continue;
        }
        Destination d = destination(t.getValueNode(), name);
        String lang = "en";
        for (NodeTuple field : mapping(t.getValueNode(), "channel")) {
          if ("lang".equals(scalar(field.getKeyNode(), "key"))) {
            lang = scalar(field.getValueNode(), "lang");
            if (!"en".equals(lang) && !"ko".equals(lang)) {
              error(field.getValueNode(), "channel '" + name + "': lang must be en or ko");
              lang = "en";
            }
          }
        }
        if (d != null) {
          channels.put(name, new Channel(d, lang));
        }
      }
    }
    List<AlertRoute> alerts = new ArrayList<>();
    if (alertsNode instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        AlertRoute route = alert(item, channels.keySet(), componentIds);
        if (route != null) {
          alerts.add(route);
        }
      }
    } else if (alertsNode != null) {
      error(alertsNode, "alerts must be a list of routes ({channel, events, components})");
    }
    return new NotifySettings(channels, alerts, retry, rateLimit, reminders);
  }

  private Destination destination(Node node, String name) {
    String where = "channel '" + name + "'";
    if (!(node instanceof MappingNode m)) {
      error(node, where + " must be a mapping with a type");
      return null;
    }
    String type = null;
    for (NodeTuple t : m.getValue()) {
      if ("type".equals(scalar(t.getKeyNode(), "key"))) {
        type = scalar(t.getValueNode(), "type");
      }
    }
    if (type == null || !CHANNEL_KEYS.containsKey(type)) {
      error(
          node,
          where
              + ": type must be one of "
              + String.join(", ", CHANNEL_KEYS.keySet().stream().sorted().toList()));
      return null;
    }
    Map<String, Node> fields = entries(node, CHANNEL_KEYS.get(type), where);
    switch (type) {
      case "email" -> {
        Node to = fields.get("to");
        List<String> addresses = new ArrayList<>();
        List<Node> items =
            to instanceof SequenceNode seq ? seq.getValue() : to == null ? List.of() : List.of(to);
        for (Node item : items) {
          String text = scalar(item, "to");
          try {
            addresses.add(EmailAddress.parse(text));
          } catch (IllegalArgumentException e) {
            error(item, where + ": " + e.getMessage());
          }
        }
        if (to == null || items.isEmpty()) {
          error(node, where + ": 'to' needs at least one address");
          return null;
        }
        return new Destination.Email(addresses);
      }
      case "telegram" -> {
        String token = required(fields, "token", node, where);
        String chat = required(fields, "chat_id", node, where);
        URI api =
            fields.containsKey("api_url")
                ? httpUrl(fields.get("api_url"), where)
                : Destination.Telegram.DEFAULT_API;
        if (chat != null && !chat.matches("-?\\d{1,20}|@[A-Za-z0-9_]{5,32}")) {
          error(fields.get("chat_id"), where + ": chat_id is a number (-100...) or @channelname");
        }
        if (token != null && !token.matches("[0-9]+:[A-Za-z0-9_-]+")) {
          error(
              fields.get("token"), where + ": token looks like 123456:ABC-DEF... (from BotFather)");
        }
        return token == null || chat == null || api == null
            ? null
            : new Destination.Telegram(api, token, chat);
      }
      default -> {
        if (!fields.containsKey("url")) {
          error(node, where + ": needs a url");
          return null;
        }
        URI url = httpUrl(fields.get("url"), where);
        if (url == null) {
          return null;
        }
        return switch (type) {
          case "webhook" -> {
            String secret = required(fields, "secret", node, where);
            if (secret != null && !WebhookSignature.validSecret(secret)) {
              error(
                  fields.get("secret"),
                  where + ": secret must be whsec_ followed by 24 to 64 bytes in base64");
              yield null;
            }
            yield secret == null ? null : new Destination.Webhook(url, secret);
          }
          case "slack" -> new Destination.Slack(url);
          case "jandi" -> new Destination.Jandi(url);
          default -> new Destination.Teams(url);
        };
      }
    }
  }

  private String required(Map<String, Node> fields, String key, Node owner, String where) {
    if (!fields.containsKey(key)) {
      error(owner, where + ": needs " + key);
      return null;
    }
    return expand(fields.get(key), scalar(fields.get(key), key));
  }

  private URI httpUrl(Node node, String where) {
    String text = expand(node, scalar(node, "url"));
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    error(node, where + ": url must be an http(s) URL");
    return null;
  }

  private AlertRoute alert(Node node, Set<String> channels, Set<String> componentIds) {
    Map<String, Node> map = entries(node, ALERT_KEYS, "an alert route");
    String channel = map.containsKey("channel") ? scalar(map.get("channel"), "channel") : null;
    if (channel == null) {
      error(node, "an alert route needs a channel");
    } else if (!channels.contains(channel)) {
      error(map.get("channel"), "alert route: no channel '" + channel + "' under channels:");
      channel = null;
    }
    Set<EventKind> events = new LinkedHashSet<>();
    for (Node item : list(map.get("events"), "events")) {
      String name = scalar(item, "event");
      Optional<EventKind> kind = EventKind.find(name);
      if (kind.isEmpty() || !kind.get().alertable()) {
        error(
            item,
            "alert route: unknown event '"
                + name
                + "' (one of "
                + String.join(
                    ", ", EventKind.alertables().stream().map(EventKind::apiValue).toList())
                + ")");
      } else {
        events.add(kind.get());
      }
    }
    Set<String> components = new LinkedHashSet<>();
    for (Node item : list(map.get("components"), "components")) {
      String id = scalar(item, "component");
      if (id != null && !componentIds.contains(id)) {
        error(item, "alert route: no component '" + id + "'");
      } else if (id != null) {
        components.add(id);
      }
    }
    Optional<QuietHours> quiet = Optional.empty();
    if (map.containsKey("quiet_hours")) {
      try {
        quiet = Optional.of(QuietHours.parse(scalar(map.get("quiet_hours"), "quiet_hours")));
      } catch (IllegalArgumentException e) {
        error(map.get("quiet_hours"), "alert route: " + e.getMessage());
      }
    }
    return channel == null ? null : new AlertRoute(channel, events, components, quiet);
  }

  private List<Node> list(Node node, String what) {
    if (node == null) {
      return List.of();
    }
    if (node instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
      return seq.getValue();
    }
    error(node, what + " must be a non-empty list (or left out for all)");
    return List.of();
  }

  /**
   * {@code locations: [seoul, tokyo, frankfurt]} (the probe locations results may come from;
   * default any) and {@code quorum: majority} or a number of locations (at most as many as are
   * listed).
   */
  private Locations locations(Node list, Node quorumNode) {
    List<String> names = new ArrayList<>();
    if (list != null) {
      if (list instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
        for (Node item : seq.getValue()) {
          String name = scalar(item, "a location");
          if (name != null && !LOCATION.matcher(name).matches()) {
            error(item, "location '" + name + "' must match [a-z0-9-]{1,32}");
          } else if (name != null && names.contains(name)) {
            error(item, "duplicate location '" + name + "'");
          } else if (name != null) {
            names.add(name);
          }
        }
      } else {
        error(list, "'locations' must be a non-empty list of location names");
      }
    }
    Quorum quorum = Quorum.MAJORITY;
    if (quorumNode != null) {
      String value = scalar(quorumNode, "quorum");
      if (value != null && !value.equals("majority")) {
        int max = names.isEmpty() ? 100 : names.size();
        String range = "1 to " + max + (names.isEmpty() ? "" : " (the locations listed)");
        try {
          int n = Integer.parseInt(value);
          if (n < 1 || n > max) {
            error(quorumNode, "quorum must be majority or " + range + ", not " + n);
          } else {
            quorum = new Quorum(n);
          }
        } catch (NumberFormatException e) {
          error(quorumNode, "quorum must be majority or a number from " + range);
        }
      }
    }
    return new Locations(List.copyOf(names), quorum);
  }

  /**
   * {@code plans: {name: KRW per member per month}} or {@code {name: {price: KRW, max_members:
   * N}}}; absent means the published price list. Member limits default by plan.
   */
  private Plans plans(Node node) {
    if (node == null) {
      return Plans.standard();
    }
    if (!(node instanceof MappingNode map)) {
      error(node, "plans must map plan names to monthly prices per member in KRW");
      return Plans.standard();
    }
    Map<String, Plan> plans = new LinkedHashMap<>();
    for (var tuple : map.getValue()) {
      String name = scalar(tuple.getKeyNode(), "a plan name");
      if (name == null || !name.matches("[a-z0-9-]{1,32}")) {
        error(tuple.getKeyNode(), "plan names match [a-z0-9-]{1,32}");
        continue;
      }
      Node value = tuple.getValueNode();
      long price;
      OptionalInt max;
      if (value instanceof MappingNode) {
        Map<String, Node> fields = entries(value, PLAN_KEYS, "plan " + name);
        if (!fields.containsKey("price")) {
          error(value, "plan " + name + " needs a price");
        }
        price = integer(fields.get("price"), "price of plan " + name, 0, 0, 10_000_000);
        Node limit = fields.get("max_members");
        max =
            limit == null
                ? Plans.defaultLimit(name, price)
                : OptionalInt.of(
                    integer(limit, "max_members of plan " + name, 0, 0, Tenant.MAX_MEMBERS));
      } else {
        price = integer(value, "price of plan " + name, 0, 0, 10_000_000);
        max = Plans.defaultLimit(name, price);
      }
      plans.put(name, new Plan(name, price, max));
    }
    if (plans.isEmpty()) {
      error(node, "plans must list at least one plan");
      return Plans.standard();
    }
    return new Plans(Map.copyOf(plans));
  }

  /** A text given as a plain string or as {@code {en, ko}}; Korean falls back to English. */
  private Localized localized(Node node, String what, String where, Localized fallback) {
    if (node == null) {
      return fallback;
    }
    if (node instanceof ScalarNode) {
      return new Localized(scalar(node, what), null);
    }
    Map<String, Node> texts = entries(node, Set.of("en", "ko"), what);
    if (!texts.containsKey("en")) {
      error(node, where + ": " + what + " needs an 'en' entry");
      return fallback;
    }
    return new Localized(
        scalar(texts.get("en"), what + ".en"),
        texts.containsKey("ko") ? scalar(texts.get("ko"), what + ".ko") : null);
  }

  private Component component(Node node, Timing defaults) {
    Map<String, Node> map = entries(node, COMPONENT_KEYS, "a component");
    String id = id(map.get("id"), node, "component");
    String where = "component '" + (id == null ? "?" : id) + "'";
    Localized name = localized(map.get("name"), "name", where, new Localized(id, null));
    String nameEn = name.en();
    String nameKo = name.ko();
    Localized group = localized(map.get("group"), "group", where, new Localized("Services", "서비스"));
    Impact impact = null;
    Node impactNode = map.get("impact");
    if (impactNode == null) {
      error(node, where + ": 'impact' is missing (major or partial)");
    } else {
      String value = scalar(impactNode, "impact");
      if ("major".equals(value)) {
        impact = Impact.MAJOR;
      } else if ("partial".equals(value)) {
        impact = Impact.PARTIAL;
      } else {
        error(impactNode, where + ": impact must be major or partial, not '" + value + "'");
      }
    }
    Timing timing = timing(node, map, defaults, where);
    List<Cell> cells = new ArrayList<>();
    Node cellList = map.get("cells");
    boolean direct = map.keySet().stream().anyMatch(PROBE_KEYS::contains);
    if (cellList != null && direct) {
      error(cellList, where + ": give either 'cells' or a direct url/heartbeat, not both");
    } else if (cellList != null) {
      if (cellList instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
        Set<String> cellIds = new HashSet<>();
        for (Node item : seq.getValue()) {
          Map<String, Node> cell = entries(item, CELL_KEYS, "a cell");
          String cellId = id(cell.get("id"), item, "cell");
          if (cellId != null && !cellIds.add(cellId)) {
            error(item, where + ": duplicate cell id '" + cellId + "'");
          }
          String cellWhere = where + " cell '" + cellId + "'";
          Cell built =
              cell(id, cellId, item, cell, timing(item, cell, timing, cellWhere), cellWhere);
          if (built != null) {
            cells.add(built);
          }
        }
      } else {
        error(cellList, where + ": 'cells' must be a non-empty list");
      }
    } else if (direct) {
      Cell built = cell(id, "main", node, map, timing, where);
      if (built != null) {
        cells.add(built);
      }
    } else {
      error(node, where + ": needs 'cells' or a 'url' (or 'heartbeat') to probe");
    }
    if (id == null || impact == null) {
      return null;
    }
    return new Component(
        id, nameEn, nameKo == null ? nameEn : nameKo, group, impact, List.copyOf(cells));
  }

  private Cell cell(
      String componentId,
      String cellId,
      Node node,
      Map<String, Node> map,
      Timing timing,
      String where) {
    Node url = map.get("url");
    Node heartbeat = map.get("heartbeat");
    Target target = null;
    Set<Condition.Placeholder> allowed = EnumSet.noneOf(Condition.Placeholder.class);
    if (url != null && heartbeat != null) {
      error(heartbeat, where + ": give either 'url' or 'heartbeat', not both");
      return null;
    } else if (heartbeat != null) {
      target = heartbeat(heartbeat, where);
      for (String key : List.of("method", "headers", "body", "conditions", "insecure_tls")) {
        if (map.containsKey(key)) {
          error(map.get(key), where + ": '" + key + "' does not apply to a heartbeat cell");
        }
      }
      if (target != null
          && ((Target.Heartbeat) target).maxSilence().compareTo(timing.interval()) < 0) {
        error(heartbeat, where + ": heartbeat max_silence must be at least the interval");
      }
    } else if (url != null) {
      target = probeTarget(url, map, where, allowed);
    } else {
      error(node, where + ": needs a 'url' or a 'heartbeat'");
      return null;
    }
    List<Condition> conditions = new ArrayList<>();
    Node conditionList = map.get("conditions");
    if (conditionList != null) {
      if (conditionList instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
        for (Node item : seq.getValue()) {
          String text = scalar(item, "condition");
          if (text == null) {
            continue;
          }
          try {
            Condition condition = Condition.parse(text);
            for (Condition.Placeholder p : condition.placeholders()) {
              if (target != null && !allowed.contains(p)) {
                error(
                    item,
                    where + ": [" + p + "] cannot be observed by a " + target.kind() + " probe");
              }
            }
            conditions.add(condition);
          } catch (IllegalArgumentException e) {
            error(item, where + ": " + e.getMessage());
          }
        }
      } else {
        error(conditionList, where + ": 'conditions' must be a non-empty list");
      }
    } else if (target instanceof Target.Tcp || target instanceof Target.Tls) {
      error(
          url, where + ": a " + target.kind() + " cell needs conditions, e.g. [CONNECTED] == true");
    } else if (target instanceof Target.Http) {
      conditions.add(Condition.parse("[STATUS] >= 200"));
      conditions.add(Condition.parse("[STATUS] < 300"));
    }
    if (target == null || componentId == null || cellId == null) {
      return null;
    }
    return new Cell(componentId, cellId, target, timing, List.copyOf(conditions));
  }

  private Target probeTarget(
      Node urlNode, Map<String, Node> map, String where, Set<Condition.Placeholder> allowed) {
    String raw = expand(urlNode, scalar(urlNode, "url"));
    if (raw == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      error(urlNode, where + ": url is not valid: " + e.getReason());
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      error(urlNode, where + ": url needs a host (http://, https://, tcp:// or tls://)");
      return null;
    }
    boolean insecure = bool(map.get("insecure_tls"), "insecure_tls");
    allowed.add(Condition.Placeholder.CONNECTED);
    allowed.add(Condition.Placeholder.RESPONSE_TIME);
    switch (scheme) {
      case "http", "https" -> {
        allowed.add(Condition.Placeholder.STATUS);
        allowed.add(Condition.Placeholder.BODY);
        if (scheme.equals("https")) {
          allowed.add(Condition.Placeholder.CERTIFICATE_EXPIRATION);
        } else if (map.containsKey("insecure_tls")) {
          error(map.get("insecure_tls"), where + ": insecure_tls applies only to https and tls");
        }
        String method = "GET";
        if (map.containsKey("method")) {
          method = scalar(map.get("method"), "method");
          if (method != null && !METHODS.contains(method)) {
            error(map.get("method"), where + ": method must be one of " + METHODS);
          }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (map.containsKey("headers")) {
          for (NodeTuple t : mapping(map.get("headers"), "headers")) {
            String key = scalar(t.getKeyNode(), "header name");
            String value = expand(t.getValueNode(), scalar(t.getValueNode(), "header value"));
            if (key != null && value != null) {
              headers.put(key, value);
            }
          }
        }
        String body =
            map.containsKey("body")
                ? expand(map.get("body"), scalar(map.get("body"), "body"))
                : null;
        return new Target.Http(uri, method, Map.copyOf(headers), body, insecure);
      }
      case "tcp", "tls" -> {
        if (uri.getPort() < 1) {
          error(
              urlNode,
              where + ": a " + scheme + " url needs a port, e.g. " + scheme + "://host:25");
          return null;
        }
        for (String key : List.of("method", "headers", "body")) {
          if (map.containsKey(key)) {
            error(map.get(key), where + ": '" + key + "' applies only to http(s) cells");
          }
        }
        if (scheme.equals("tcp")) {
          if (map.containsKey("insecure_tls")) {
            error(map.get("insecure_tls"), where + ": insecure_tls applies only to https and tls");
          }
          return new Target.Tcp(uri.getHost(), uri.getPort());
        }
        allowed.add(Condition.Placeholder.CERTIFICATE_EXPIRATION);
        return new Target.Tls(uri.getHost(), uri.getPort(), insecure);
      }
      default -> {
        error(
            urlNode, where + ": url scheme must be http, https, tcp or tls, not '" + scheme + "'");
        return null;
      }
    }
  }

  private Target heartbeat(Node node, String where) {
    Map<String, Node> map = entries(node, Set.of("max_silence", "token"), "heartbeat");
    Duration silence = duration(map.get("max_silence"), "max_silence", null);
    if (!map.containsKey("max_silence")) {
      error(node, where + ": heartbeat needs max_silence, e.g. 5m");
    }
    String token =
        map.containsKey("token")
            ? expand(map.get("token"), scalar(map.get("token"), "token"))
            : null;
    if (!map.containsKey("token")) {
      error(node, where + ": heartbeat needs a token (use ${ENV_VAR} to keep it out of the file)");
    } else if (token != null && (token.length() < 16 || token.length() > Auth.MAX_TOKEN)) {
      error(
          map.get("token"),
          where + ": heartbeat token must be 16 to " + Auth.MAX_TOKEN + " characters");
    }
    return silence == null || token == null ? null : new Target.Heartbeat(silence, token);
  }

  private Timing timing(Node node, Timing inherited, String where) {
    if (node == null) {
      return inherited;
    }
    return timing(node, entries(node, TIMING_KEYS, where), inherited, where);
  }

  private Timing timing(Node owner, Map<String, Node> map, Timing inherited, String where) {
    Duration interval = duration(map.get("interval"), "interval", inherited.interval());
    Duration timeout = duration(map.get("timeout"), "timeout", inherited.timeout());
    int failures =
        integer(
            map.get("failure_threshold"),
            "failure_threshold",
            inherited.failureThreshold(),
            1,
            100);
    int successes =
        integer(
            map.get("success_threshold"),
            "success_threshold",
            inherited.successThreshold(),
            1,
            100);
    int degraded =
        integer(
            map.get("degraded_ms"),
            "degraded_ms",
            (int) inherited.degradedAfter().toMillis(),
            1,
            3_600_000);
    if (interval != null && interval.compareTo(MIN_INTERVAL) < 0) {
      error(map.getOrDefault("interval", owner), where + ": interval must be at least 100ms");
    }
    if (interval != null
        && timeout != null
        && (timeout.isZero() || timeout.compareTo(interval) > 0)) {
      error(
          map.getOrDefault("timeout", owner),
          where
              + ": timeout must be above 0 and at most the interval ("
              + Durations.format(interval)
              + ")");
    }
    if (interval == null || timeout == null) {
      return inherited;
    }
    return new Timing(interval, timeout, failures, successes, Duration.ofMillis(degraded));
  }

  private String id(Node node, Node owner, String what) {
    if (node == null) {
      error(owner, what + " 'id' is missing");
      return null;
    }
    String id = scalar(node, "id");
    if (id != null && !ID.matcher(id).matches()) {
      error(node, what + " id '" + id + "' must match [a-z0-9-]+");
      return null;
    }
    return id;
  }

  private Map<String, Node> entries(Node node, Set<String> allowed, String what) {
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : mapping(node, what)) {
      String key = scalar(t.getKeyNode(), "key");
      if (key == null) {
        continue;
      }
      if (!allowed.contains(key)) {
        error(
            t.getKeyNode(),
            "unknown key '"
                + key
                + "' in "
                + what
                + " (allowed: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      } else if (out.put(key, t.getValueNode()) != null) {
        error(t.getKeyNode(), "duplicate key '" + key + "' in " + what);
      }
    }
    return out;
  }

  private List<NodeTuple> mapping(Node node, String what) {
    if (node instanceof MappingNode m) {
      return m.getValue();
    }
    error(node, what + " must be a mapping (key: value)");
    return List.of();
  }

  private String scalar(Node node, String what) {
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    error(node, what + " must be a single value");
    return null;
  }

  private boolean bool(Node node, String what) {
    if (node == null) {
      return false;
    }
    String v = scalar(node, what);
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean(v);
    }
    error(node, what + " must be true or false");
    return false;
  }

  private int integer(Node node, String what, int fallback, int min, int max) {
    if (node == null) {
      return fallback;
    }
    String v = scalar(node, what);
    try {
      int value = Integer.parseInt(v);
      if (value < min || value > max) {
        error(node, what + " must be between " + min + " and " + max + ", not " + value);
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      error(node, what + " must be a whole number, not '" + v + "'");
      return fallback;
    }
  }

  private Duration duration(Node node, String what, Duration fallback) {
    if (node == null) {
      return fallback;
    }
    String v = scalar(node, what);
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      error(node, what + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * Expands ${VAR} and ${VAR:-default}; a missing variable is an error naming it, not its value.
   */
  private String expand(Node node, String value) {
    if (value == null) {
      return null;
    }
    Matcher m = ENV.matcher(value);
    StringBuilder out = new StringBuilder();
    boolean missing = false;
    while (m.find()) {
      String resolved = env.apply(m.group(1));
      if (resolved == null) {
        resolved = m.group(2);
      }
      if (resolved == null) {
        error(
            node,
            "environment variable "
                + m.group(1)
                + " is not set (or write ${"
                + m.group(1)
                + ":-default})");
        missing = true;
        resolved = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return missing ? null : out.toString();
  }

  private void error(Node node, String message) {
    int line = node == null ? 1 : node.getStartMark().getLine() + 1;
    errors.add(source + ":" + line + ": " + message);
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new HashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Set.copyOf(all);
  }
}
