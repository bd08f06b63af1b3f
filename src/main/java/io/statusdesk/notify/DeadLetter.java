package io.statusdesk.notify;

import java.time.Instant;

/**
 * A delivery given up on, as operators see it: who it was for ({@code s:ID} a subscriber, {@code
 * c:ID} a tenant contact, {@code r:NAME} an alert channel), never an address.
 */
public record DeadLetter(
    long id,
    long eventId,
    String kind,
    String channel,
    String recipient,
    int attempts,
    String lastError,
    Instant createdAt) {}
