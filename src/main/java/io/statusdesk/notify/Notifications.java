package io.statusdesk.notify;

import io.statusdesk.DomainException;
import io.statusdesk.Input;
import io.statusdesk.admin.FailureLimiter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every action on notifications, whichever door it comes through (the public subscription pages,
 * the operator API, the tenant view, the console): subscribing with double opt-in, managing and
 * leaving, webhook subscribers, tenants' statement addresses, personal data export and erasure, and
 * dead letters. The rules live here; routes and pages only parse and render.
 */
public final class Notifications {
  /** A tenant gives at most this many statement addresses. */
  public static final int MAX_CONTACTS = 5;

  private static final int MAX_URL = 2000;

  private final NotifyRepository repository;
  private final List<String> componentIds;
  private final boolean email;
  private final Clock clock;
  private final FailureLimiter perClient;
  private final FailureLimiter perAddress;
  private volatile FormTokens forms;

  /**
   * @param componentIds the components people may choose, in the page's order
   * @param email whether mail can be sent (without it nobody can subscribe by email)
   */
  public Notifications(Pool pool, List<String> componentIds, boolean email, Clock clock) {
    this.repository = new NotifyRepository(pool);
    this.componentIds = List.copyOf(componentIds);
    this.email = email;
    this.clock = clock;
    // Ten requests from one client address at once, then one a minute; three confirmation
    // mails to one address at once, then one every 20 minutes: enough for a typo, too few to
    // flood anyone's inbox.
    this.perClient = new FailureLimiter(10, Duration.ofMinutes(1), 100_000, clock);
    this.perAddress = new FailureLimiter(3, Duration.ofMinutes(20), 100_000, clock);
  }

  /** Loads the key the public forms' tokens are signed with (made on the first start). */
  public Future<Void> start() {
    byte[] candidate = new byte[32];
    new SecureRandom().nextBytes(candidate);
    return repository
        .formKey(candidate)
        .onSuccess(k -> forms = new FormTokens(k, clock))
        .mapEmpty();
  }

  public boolean emailEnabled() {
    return email;
  }

  public FormTokens forms() {
    return forms;
  }

  public List<String> componentIds() {
    return componentIds;
  }

  /** A visitor's request to receive email. */
  public record Request(String address, String lang, List<String> components) {}

  /**
   * Asks {@code r.address()} to confirm (or, already subscribed, mails it its manage link). The
   * answer is the same whatever the address's state, so the form reveals nothing; an address asked
   * for too often gets nothing more for a while, silently, and a client asking too often is
   * throttled.
   */
  public Future<Void> subscribe(Request r, String clientAddress) {
    if (!email) {
      throw DomainException.notFound("email subscriptions are not offered here");
    }
    long wait = perClient.take(clientAddress);
    if (wait > 0) {
      throw DomainException.throttled(
          "too many subscription requests from this address; retry in " + wait + " s", wait);
    }
    String address = address("email", r.address());
    List<String> components = components(r.components());
    String lang = lang(r.lang());
    if (perAddress.take(HexFormat.of().formatHex(EmailAddress.hash(address))) > 0) {
      return Future.succeededFuture();
    }
    return repository
        .request(address, lang, components, FormTokens.random(), clock.instant())
        .mapEmpty();
  }

  /** Confirms a subscription by its link's token; empty when the link is unknown or expired. */
  public Future<Optional<Subscription>> confirm(String token) {
    return known(token) ? repository.confirm(token, clock.instant()) : none();
  }

  /** The subscription a link's token belongs to. */
  public Future<Optional<Subscription>> subscription(String token) {
    return known(token) ? repository.byToken(token) : none();
  }

  /** Changes what a confirmed subscriber receives. */
  public Future<Optional<Subscription>> update(String token, String lang, List<String> components) {
    List<String> chosen = components(components);
    String language = lang(lang);
    return known(token) ? repository.update(token, language, chosen) : none();
  }

  /** Ends a subscription; unknown tokens are answered the same way (it is gone either way). */
  public Future<Boolean> unsubscribe(String token) {
    return known(token)
        ? repository.unsubscribe(token, clock.instant())
        : Future.succeededFuture(false);
  }

  /**
   * Adds a webhook subscriber (an operator's act): active at once, signed with a new secret that is
   * answered once, here.
   */
  public Future<JsonObject> addWebhook(
      String url, String lang, List<String> components, String actor) {
    String checked = webhookUrl(url);
    String secret = WebhookSignature.newSecret();
    return repository
        .addWebhook(
            checked,
            lang(lang),
            components(components),
            FormTokens.random(),
            secret,
            clock.instant())
        .map(s -> json(s).put("secret", secret));
  }

  public Future<List<Subscription>> subscribers(Optional<String> kind, long after, int limit) {
    kind.ifPresent(
        k -> {
          if (!k.equals("email") && !k.equals("webhook")) {
            throw Input.invalid("kind: email or webhook");
          }
        });
    return repository.subscribers(kind, after, limit);
  }

  /** Removes a subscriber; an email address leaves only its hash behind. */
  public Future<Void> removeSubscriber(long id, String actor) {
    return repository
        .removeSubscriber(id, actor, clock.instant())
        .compose(
            found ->
                found
                    ? Future.succeededFuture()
                    : Future.failedFuture(DomainException.notFound("no subscriber " + id)));
  }

  /** Everything kept about an email address. */
  public Future<JsonObject> export(String address) {
    return repository.export(address("address", address));
  }

  /** Erases an email address everywhere it is kept, leaving its hash as a suppression entry. */
  public Future<JsonObject> erase(String address, String actor) {
    return repository.erase(address("address", address), actor, clock.instant());
  }

  /** Dead letters after {@code after}, oldest first (the API's order). */
  public Future<List<DeadLetter>> deadLetters(long after, int limit) {
    return repository.deadLetters(after, false, limit);
  }

  /** Dead letters before {@code before}, newest first (the console's order). */
  public Future<List<DeadLetter>> latestDeadLetters(long before, int limit) {
    return repository.deadLetters(before, true, limit);
  }

  /** How the dispatcher is doing, at a glance. */
  public record Counts(long pending, long deadLetters, long subscribers) {}

  public Future<Counts> counts() {
    return repository
        .counts()
        .map(
            c ->
                new Counts(
                    c.getOrDefault("pending", 0L),
                    c.getOrDefault("dead", 0L),
                    c.getOrDefault("subscribers", 0L)));
  }

  /**
   * Whether an export (see {@link #export}) holds something that erasing would remove: a
   * subscription, a tenant's statement address or messages kept for it (a suppression entry is what
   * erasing leaves).
   */
  public static boolean erasable(JsonObject export) {
    return !export.getJsonArray("subscriptions").isEmpty()
        || !export.getJsonArray("tenant_contacts").isEmpty()
        || !export.getJsonObject("messages").isEmpty();
  }

  /** Sends a dead letter again, with a fresh retry window. */
  public Future<Void> retry(long id, String actor) {
    return repository
        .retry(id, actor, clock.instant())
        .compose(
            found ->
                found
                    ? Future.succeededFuture()
                    : Future.failedFuture(DomainException.notFound("no dead letter " + id)));
  }

  public Future<List<TenantContact>> contacts(String tenantId) {
    return repository.contacts(tenantId);
  }

  /** Replaces the addresses a tenant's statements and SLA notices go to. */
  public Future<Void> setContacts(String tenantId, List<String> addresses, String lang) {
    Set<String> checked = new LinkedHashSet<>();
    for (String a : addresses) {
      if (!a.isBlank()) {
        checked.add(address("addresses", a));
      }
    }
    if (checked.size() > MAX_CONTACTS) {
      throw Input.invalid("addresses: at most " + MAX_CONTACTS);
    }
    return repository.setContacts(tenantId, List.copyOf(checked), lang(lang), clock.instant());
  }

  public static JsonObject json(Subscription s) {
    return new JsonObject()
        .put("id", s.id())
        .put("kind", s.kind())
        .put(s.kind().equals("webhook") ? "url" : "address", s.address())
        .put("lang", s.lang())
        .put("components", new JsonArray(s.components()))
        .put("state", s.state())
        .put("created_at", s.createdAt().toString())
        .put("confirmed_at", s.confirmedAt().map(Instant::toString).orElse(null));
  }

  public static JsonObject json(DeadLetter d) {
    return new JsonObject()
        .put("id", d.id())
        .put("event_id", d.eventId())
        .put("kind", d.kind())
        .put("channel", d.channel())
        .put("recipient", d.recipient())
        .put("attempts", d.attempts())
        .put("last_error", d.lastError())
        .put("created_at", d.createdAt().toString());
  }

  private static String address(String field, String text) {
    try {
      return EmailAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw Input.invalid(field + ": " + e.getMessage());
    }
  }

  /** Known components, each once, in the page's order; none means all. */
  private List<String> components(List<String> chosen) {
    for (String c : chosen) {
      if (!componentIds.contains(c)) {
        throw Input.invalid("components: no component '" + c + "'");
      }
    }
    List<String> ordered = componentIds.stream().filter(chosen::contains).toList();
    return ordered.size() == componentIds.size() ? List.of() : ordered;
  }

  private static String lang(String lang) {
    if (lang == null || lang.isBlank()) {
      return "en";
    }
    if (!lang.equals("en") && !lang.equals("ko")) {
      throw Input.invalid("lang: en or ko");
    }
    return lang;
  }

  private static String webhookUrl(String url) {
    if (url == null || url.isBlank() || url.length() > MAX_URL) {
      throw Input.invalid("url: an http(s) URL of at most " + MAX_URL + " characters");
    }
    try {
      URI uri = new URI(url.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri.toString();
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    throw Input.invalid("url: an http(s) URL such as https://hooks.example.com/statusdesk");
  }

  /** Tokens are 43 base64url characters; anything else is answered without a query. */
  private static boolean known(String token) {
    return token != null && token.matches("[A-Za-z0-9_-]{43}");
  }

  private static <T> Future<Optional<T>> none() {
    return Future.succeededFuture(Optional.empty());
  }
}
