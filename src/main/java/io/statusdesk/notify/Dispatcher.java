package io.statusdesk.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.statusdesk.StatuspageV2;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox. Events become deliveries (event x channel x recipient, each once: a unique
 * key), deliveries are claimed in batches with {@code FOR UPDATE SKIP LOCKED} under a lease, sent a
 * few dozen at a time, and their outcomes recorded: sent, retried with exponential back-off and
 * jitter, or dead letters once the retry window is over. A delivery's Message-ID or webhook-id
 * never changes, so a receiver drops the copy a crash may repeat (at-least-once).
 *
 * <p>It sleeps until there is work: the outbox table announces every recorded event to every
 * instance at commit ({@link #WAKE}), and after each cycle a timer is set for the next delivery due
 * (a retry, a lease running out, the end of quiet hours or of a rate limit), at most {@link
 * Options#poll} away. An idle service so spends no queries on notifications. A stop lets the batch
 * in hand finish and records it, so a restart sends nothing twice.
 */
public final class Dispatcher extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final int FAN_OUT_BATCH = 50;
  private static final int CACHED = 512;
  private static final long GAUGES_EVERY_MS = 30_000;
  private static final long AFTER_FAILURE_MS = 5_000;

  /**
   * Wakes the dispatcher: published when the outbox announced an event (on any instance), and by
   * tests that moved the service's clock.
   */
  public static final String WAKE = "statusdesk.notify.wake";

  /** The PostgreSQL channel the outbox table announces recorded events on (V14 migration). */
  public static final String OUTBOX_CHANNEL = "statusdesk_outbox";

  private static final long SWEEP_EVERY_MS = Duration.ofHours(1).toMillis();

  /**
   * How the dispatcher paces itself.
   *
   * @param poll the longest it sleeps without being woken (a safety net: for a wall clock that
   *     jumped, say)
   * @param batch how many deliveries one claim takes
   * @param concurrency how many sends are in flight at once
   * @param lease how long a claimed delivery is left alone before another claim may take it
   */
  public record Options(Duration poll, int batch, int concurrency, Duration lease) {
    public static Options standard() {
      return new Options(Duration.ofMinutes(1), 500, 64, Duration.ofMinutes(2));
    }
  }

  private final NotifyRepository repository;
  private final NotifySettings settings;
  private final Optional<MailSettings> mail;
  private final MessageContext words;
  private final NotifyMetrics metrics;
  private final Clock clock;
  private final Options options;
  private final Random random = new Random();
  private final Map<Long, NotifyRepository.StoredEvent> events = lru();
  private final Map<String, MessageView> views = lru();
  private final Map<String, MailTemplates.Mail> mails = lru();
  private Senders senders;
  private MailTemplates templates;
  private Future<Void> running = Future.succeededFuture();
  private boolean again;
  private boolean stopped;
  private final List<Long> timers = new ArrayList<>();
  private long next = -1;

  public Dispatcher(
      Pool pool,
      NotifySettings settings,
      Optional<MailSettings> mail,
      MessageContext context,
      MeterRegistry registry,
      Clock clock,
      Options options) {
    this.repository = new NotifyRepository(pool);
    this.settings = settings;
    this.mail = mail;
    this.words = context;
    this.metrics = new NotifyMetrics(registry);
    this.clock = clock;
    this.options = options;
  }

  private static <K, V> Map<K, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > CACHED;
      }
    };
  }

  @Override
  public Future<?> start() {
    senders = new Senders(vertx, mail);
    templates = new MailTemplates(words.publicUrl());
    vertx.eventBus().consumer(WAKE, m -> kick());
    timers.add(vertx.setPeriodic(0, GAUGES_EVERY_MS, id -> gauges()));
    timers.add(vertx.setPeriodic(SWEEP_EVERY_MS, id -> sweep()));
    kick();
    return Future.succeededFuture();
  }

  /** Lets the batch in hand finish and records its outcomes; claims nothing more. */
  @Override
  public Future<?> stop() {
    stopped = true;
    timers.forEach(vertx::cancelTimer);
    vertx.cancelTimer(next);
    return running.otherwiseEmpty().compose(v -> senders.close());
  }

  /** Runs a cycle now, or right after the one running. */
  private void kick() {
    if (stopped) {
      return;
    }
    if (!running.isComplete()) {
      again = true;
      return;
    }
    again = false;
    Future<Optional<Instant>> cycle =
        fanOut().compose(v -> deliver()).compose(v -> repository.nextDue());
    running =
        cycle
            .onFailure(e -> log.warn("notifications: {}", e.toString()))
            .onComplete(
                ar -> {
                  if (again) {
                    vertx.runOnContext(x -> kick());
                  } else {
                    sleep(ar.succeeded() ? ar.result() : Optional.empty(), ar.succeeded());
                  }
                })
            .mapEmpty();
  }

  /** Sets the one timer that wakes it: at the next delivery due, at most {@link Options#poll}. */
  private void sleep(Optional<Instant> due, boolean succeeded) {
    if (stopped) {
      return;
    }
    long longest = succeeded ? options.poll().toMillis() : AFTER_FAILURE_MS;
    long ms =
        due.map(
                at ->
                    Math.max(
                        1, Math.min(longest, Duration.between(clock.instant(), at).toMillis())))
            .orElse(longest);
    vertx.cancelTimer(next);
    next = vertx.setTimer(ms, id -> kick());
  }

  private Future<Void> fanOut() {
    if (stopped) {
      return Future.succeededFuture();
    }
    int[] seen = {0};
    return repository
        .fanOut(
            FAN_OUT_BATCH,
            e -> {
              seen[0]++;
              return recipients(e);
            },
            clock.instant())
        .compose(
            made -> {
              metrics.fannedOut(seen[0], made);
              return seen[0] == FAN_OUT_BATCH ? fanOut() : Future.succeededFuture();
            });
  }

  /** Who hears of an event: the alert routes that carry it, and its audience. */
  private NotifyRepository.Recipients recipients(NotifyRepository.Unfanned e) {
    Optional<EventKind> found = EventKind.find(e.kind());
    if (found.isEmpty()) {
      // written by a newer version of the service: nobody here knows how to tell it
      return new NotifyRepository.Recipients(
          List.of(), Set.of(), NotifyRepository.ContactScope.NONE, Optional.empty());
    }
    EventKind kind = found.get();
    Instant now = clock.instant();
    Map<String, Instant> due = new LinkedHashMap<>();
    for (AlertRoute route : settings.alerts()) {
      if (route.carries(kind, e.components())) {
        Instant at = route.quietHours().map(q -> q.release(now, words.zone())).orElse(now);
        due.merge(route.channel(), at, (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    List<NotifyRepository.AlertDelivery> alerts = new ArrayList<>();
    due.forEach(
        (name, at) -> {
          Channel c = settings.channels().get(name);
          alerts.add(
              new NotifyRepository.AlertDelivery(name, c.destination().type(), c.lang(), at));
        });
    boolean email = mail.isPresent();
    Set<String> kinds =
        switch (kind.audience()) {
          case PUBLIC -> email ? Set.of("email", "webhook") : Set.of("webhook");
          case WEBHOOKS -> Set.of("webhook");
          default -> Set.of();
        };
    NotifyRepository.ContactScope contacts =
        !email
            ? NotifyRepository.ContactScope.NONE
            : switch (kind.audience()) {
              case ALL_CONTACTS -> NotifyRepository.ContactScope.ALL;
              case TENANT_CONTACTS -> NotifyRepository.ContactScope.TENANT;
              default -> NotifyRepository.ContactScope.NONE;
            };
    Optional<Long> subscriber =
        kind.audience() == EventKind.Audience.SUBSCRIBER && email
            ? Optional.of(Long.parseLong(e.subject().substring("subscriber:".length())))
            : Optional.empty();
    return new NotifyRepository.Recipients(alerts, kinds, contacts, subscriber);
  }

  private Future<Void> deliver() {
    if (stopped) {
      return Future.succeededFuture();
    }
    Instant now = clock.instant();
    return repository
        .claim(options.batch(), options.lease(), now)
        .compose(
            claimed ->
                claimed.isEmpty()
                    ? Future.succeededFuture()
                    : process(claimed)
                        .compose(
                            v ->
                                claimed.size() == options.batch()
                                    ? deliver()
                                    : Future.succeededFuture()));
  }

  private Future<Void> process(List<NotifyRepository.Claimed> claimed) {
    List<Long> missing =
        claimed.stream()
            .map(NotifyRepository.Claimed::eventId)
            .distinct()
            .filter(id -> !events.containsKey(id))
            .toList();
    Future<Void> loaded =
        missing.isEmpty()
            ? Future.succeededFuture()
            : repository.events(missing).onSuccess(events::putAll).mapEmpty();
    return loaded.compose(v -> limited(claimed)).compose(this::send);
  }

  /**
   * Applies the per-recipient rate limit to people and chat channels (webhooks are machines): what
   * fits goes now; of the rest, what a newer message about the same thing overtook is collapsed and
   * the others wait for room. Answers what goes now.
   */
  private Future<List<NotifyRepository.Claimed>> limited(List<NotifyRepository.Claimed> claimed) {
    RateLimit limit = settings.rateLimit();
    Instant now = clock.instant();
    List<String> people =
        claimed.stream()
            .filter(d -> !d.channel().equals("webhook"))
            .map(NotifyRepository.Claimed::recipient)
            .distinct()
            .toList();
    return repository
        .sentSince(people, now.minus(limit.per()))
        .compose(
            sends -> {
              List<NotifyRepository.Claimed> go = new ArrayList<>();
              List<NotifyRepository.Claimed> held = new ArrayList<>();
              Map<String, Integer> used = new HashMap<>();
              for (NotifyRepository.Claimed d : claimed) {
                if (d.channel().equals("webhook")) {
                  go.add(d);
                  continue;
                }
                NotifyRepository.Sends before = sends.get(d.recipient());
                int n =
                    used.merge(d.recipient(), 1, Integer::sum)
                        + (before == null ? 0 : before.count());
                (n <= limit.messages() ? go : held).add(d);
              }
              if (held.isEmpty()) {
                return Future.succeededFuture(go);
              }
              return repository
                  .collapse(held.stream().map(NotifyRepository.Claimed::id).toList())
                  .compose(
                      collapsed -> {
                        metrics.collapsed(collapsed.size());
                        List<NotifyRepository.Outcome> waits = new ArrayList<>();
                        for (NotifyRepository.Claimed d : held) {
                          if (collapsed.contains(d.id())) {
                            continue;
                          }
                          NotifyRepository.Sends before = sends.get(d.recipient());
                          Instant room =
                              before != null
                                  ? before.first().plus(limit.per())
                                  : now.plus(limit.per().dividedBy(limit.messages()));
                          waits.add(
                              new NotifyRepository.Outcome(
                                  d.id(), "pending", room, NotifyRepository.RATE_LIMITED, false));
                        }
                        metrics.deferred(waits.size());
                        return repository.finish(waits, now).map(go);
                      });
            });
  }

  private Future<Void> send(List<NotifyRepository.Claimed> go) {
    List<NotifyRepository.Outcome> outcomes = new ArrayList<>();
    Iterator<NotifyRepository.Claimed> next = go.iterator();
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < Math.min(options.concurrency(), go.size()); i++) {
      workers.add(worker(next, outcomes));
    }
    return Future.join(workers).transform(ar -> repository.finish(outcomes, clock.instant()));
  }

  private Future<Void> worker(
      Iterator<NotifyRepository.Claimed> next, List<NotifyRepository.Outcome> outcomes) {
    if (!next.hasNext()) {
      return Future.succeededFuture();
    }
    NotifyRepository.Claimed d = next.next();
    Future<Void> attempt;
    try {
      attempt = attempt(d);
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    return attempt.transform(
        ar -> {
          outcomes.add(outcome(d, ar.cause()));
          return worker(next, outcomes);
        });
  }

  private NotifyRepository.Outcome outcome(NotifyRepository.Claimed d, Throwable failure) {
    Instant now = clock.instant();
    NotifyRepository.StoredEvent e = events.get(d.eventId());
    if (failure == null) {
      metrics.sent(d.channel(), Duration.between(e.occurredAt(), now));
      return new NotifyRepository.Outcome(d.id(), "sent", now, null, true);
    }
    String error = failure instanceof DeliveryFailure f ? f.getMessage() : "failed: " + failure;
    boolean permanent = failure instanceof DeliveryFailure f && f.permanent();
    Optional<Instant> retry =
        permanent
            ? Optional.empty()
            : settings.retry().next(d.attempts(), d.createdAt(), now, random::nextDouble);
    metrics.failed(d.channel());
    if (retry.isPresent()) {
      return new NotifyRepository.Outcome(d.id(), "pending", retry.get(), error, true);
    }
    metrics.dead(d.channel());
    log.warn(
        "notification {} ({} of {} to {}) is a dead letter after {} attempts: {}",
        d.id(),
        d.channel(),
        e.kind().apiValue(),
        d.recipient(),
        d.attempts(),
        error);
    return new NotifyRepository.Outcome(d.id(), "dead", now, error, true);
  }

  /** Sends one claimed delivery over its channel. */
  private Future<Void> attempt(NotifyRepository.Claimed d) {
    NotifyRepository.StoredEvent e = events.get(d.eventId());
    if (e == null) {
      return Future.failedFuture(new DeliveryFailure("its event is gone", true));
    }
    if (d.subscriber().isPresent()) {
      NotifyRepository.Subscriber s = d.subscriber().get();
      if (s.kind().equals("webhook")) {
        return webhook(d, e, URI.create(s.address()), s.secret().orElseThrow());
      }
      boolean asking = e.kind().audience() == EventKind.Audience.SUBSCRIBER;
      MailTemplates.Mail m =
          mail(
              e,
              d.lang(),
              asking ? MailTemplates.Footer.CONFIRM : MailTemplates.Footer.SUBSCRIBER,
              MailWords.of(d.lang()).get("site"));
      Map<String, String> headers = headers(d, e);
      if (!asking) {
        // RFC 8058: mail clients offer one-click unsubscribe, a POST to this address
        headers.put(
            "List-Unsubscribe", "<" + Links.unsubscribe(words.publicUrl(), s.token()) + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
      }
      return senders.email(
          mail.orElseThrow().from(),
          List.of(s.address()),
          new MailTemplates.Mail(
              m.subject(),
              Links.fill(m.text(), words.publicUrl(), s.token()),
              Links.fill(m.html(), words.publicUrl(), s.token())),
          headers);
    }
    if (d.contact().isPresent()) {
      NotifyRepository.Contact c = d.contact().get();
      return senders.email(
          mail.orElseThrow().from(),
          List.of(c.address()),
          mail(e, d.lang(), MailTemplates.Footer.CONTACT, c.tenantId()),
          headers(d, e));
    }
    String name = d.recipient().substring("r:".length());
    Channel channel = settings.channels().get(name);
    if (channel == null) {
      return Future.failedFuture(
          new DeliveryFailure("channel '" + name + "' is no longer in checks.yaml", true));
    }
    MessageView view = view(e, d.lang());
    Destination to = channel.destination();
    if (to instanceof Destination.Email box) {
      return senders.email(
          mail.orElseThrow().from(),
          box.to(),
          mail(e, d.lang(), MailTemplates.Footer.ALERT, name),
          headers(d, e));
    }
    if (to instanceof Destination.Webhook hook) {
      return webhook(d, e, hook.url(), hook.secret());
    }
    if (to instanceof Destination.Slack slack) {
      return senders.post(slack.url(), Map.of(), Senders.slack(view).encode());
    }
    if (to instanceof Destination.Telegram tg) {
      return senders.post(
          URI.create(tg.api() + "/bot" + tg.token() + "/sendMessage"),
          Map.of(),
          Senders.telegram(tg.chatId(), view).encode());
    }
    if (to instanceof Destination.Jandi jandi) {
      return senders.post(
          jandi.url(),
          Map.of("Accept", "application/vnd.tosslab.jandi-v2+json"),
          Senders.jandi(view).encode());
    }
    return senders.post(((Destination.Teams) to).url(), Map.of(), Senders.teams(view).encode());
  }

  /**
   * A Standard Webhooks message: {@code {"type", "timestamp", "data"}} signed over {@code
   * id.timestamp.body}; the id is the delivery's, the same on every attempt.
   */
  private Future<Void> webhook(
      NotifyRepository.Claimed d, NotifyRepository.StoredEvent e, URI url, String secret) {
    String id = "msg_" + d.id();
    long timestamp = clock.instant().getEpochSecond();
    String body =
        new JsonObject()
            .put("type", e.kind().apiValue())
            .put("timestamp", StatuspageV2.iso(e.occurredAt()))
            .put("data", e.data(d.lang()))
            .encode();
    return senders.post(
        url,
        Map.of(
            "webhook-id",
            id,
            "webhook-timestamp",
            String.valueOf(timestamp),
            "webhook-signature",
            WebhookSignature.sign(secret, id, timestamp, body)),
        body);
  }

  /** The headers every email carries: a Message-ID that is the same on every attempt. */
  private Map<String, String> headers(NotifyRepository.Claimed d, NotifyRepository.StoredEvent e) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(
        "Message-ID", "<d" + d.id() + ".e" + e.id() + "@" + mail.orElseThrow().domain() + ">");
    headers.put("Auto-Submitted", "auto-generated");
    return headers;
  }

  private MessageView view(NotifyRepository.StoredEvent e, String lang) {
    return views.computeIfAbsent(
        e.id() + ":" + lang, k -> MessageView.of(e.kind(), e.data(lang), lang, words));
  }

  private MailTemplates.Mail mail(
      NotifyRepository.StoredEvent e, String lang, MailTemplates.Footer footer, String name) {
    return mails.computeIfAbsent(
        e.id() + ":" + lang + ":" + footer + ":" + name,
        k -> templates.render(view(e, lang), lang, footer, name));
  }

  private void gauges() {
    repository
        .counts()
        .onSuccess(
            c -> {
              metrics.pending.set(c.getOrDefault("pending", 0L));
              metrics.deadLetters.set(c.getOrDefault("dead", 0L));
            });
  }

  private void sweep() {
    repository
        .sweep(clock.instant())
        .onFailure(e -> log.warn("notification sweep failed: {}", e.toString()));
  }
}
