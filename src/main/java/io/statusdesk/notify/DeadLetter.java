package io.statusdesk.notify;

import java.time.Instant;

/**
 * A delivery given up on, as operators see it: who it was for ({@code s:ID} a subscriber, {@code
 * c:ID} a tenant contact, {@code r:NAME} an alert channel) and, for the console, that recipient as
 * {@link Subscription#shown} shows it ({@code to}: an address, a webhook's host, a channel's name).
 *
 * @param deadAt when it was given up on
 */
public record DeadLetter(
    long id,
    long eventId,
    String kind,
    String channel,
    String recipient,
    String to,
    int attempts,
    String lastError,
    Instant createdAt,
    Instant deadAt) {}
