package io.popbridge.fetcher.message;

/** Where a fetched message is in its lifecycle (derived from the outcome events). */
public enum MessageStatus {
    /** Published; no outcome yet. */
    FETCHED,
    /** The router routed it; deliveries pending. */
    ROUTED,
    /** At least one recipient is waiting for a retry. */
    DEFERRED,
    /** Every outcome is final (delivered, fallback, parked, or a duplicate): deletable under DELETE_AFTER_DELIVERY. */
    FINAL,
    /** Removed from the POP3 server (QUIT committed the DELE). */
    DELETED
}
