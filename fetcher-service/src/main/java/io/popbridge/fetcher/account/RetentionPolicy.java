package io.popbridge.fetcher.account;

/** What may be deleted from the POP3 server, and when. */
public enum RetentionPolicy {
    /** Delete once the message's outcome is final (delivered, fallback, parked or duplicate). The default. */
    DELETE_AFTER_DELIVERY,
    /** Delete once the broker acknowledged the message (fetchmail's default behaviour). */
    DELETE_AFTER_FETCH,
    /** Never delete. */
    KEEP,
    /** Delete final messages fetched more than {@code days} days ago. */
    KEEP_DAYS
}
