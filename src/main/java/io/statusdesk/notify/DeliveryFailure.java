package io.statusdesk.notify;

/**
 * A delivery that did not get through. A permanent failure (the receiver refused the message
 * itself: a 4xx, a mailbox that does not exist) is a dead letter at once; any other is retried.
 */
final class DeliveryFailure extends RuntimeException {
  private final boolean permanent;

  DeliveryFailure(String message, boolean permanent) {
    super(message, null, false, false);
    this.permanent = permanent;
  }

  boolean permanent() {
    return permanent;
  }
}
