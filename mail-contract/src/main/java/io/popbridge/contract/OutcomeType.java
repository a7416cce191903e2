package io.popbridge.contract;

/** What happened to a message (ROUTED, DUPLICATE: router) or to one recipient (the rest: delivery). */
public enum OutcomeType {
    /** The router published the message; {@code recipients} lists every decision. Not final. */
    ROUTED(false),
    /** The router dropped every recipient as a duplicate copy; nothing will be delivered. Final. */
    DUPLICATE(true),
    /** The target accepted the recipient (2xx). Final. */
    DELIVERED(true),
    /** A temporary failure (4xx, connection, ambiguous 250); retried later. Not final. */
    DEFERRED(false),
    /** A permanent failure; the message went to the fallback mailbox. Final. */
    FALLBACK(true),
    /** Even the fallback failed: kept in the delivery database for an admin. Final for the POP3 server. */
    PARKED(true);

    private final boolean isFinal;

    OutcomeType(boolean isFinal) {
        this.isFinal = isFinal;
    }

    /** A final outcome lets the fetcher delete the message from the POP3 server (DELETE_AFTER_DELIVERY). */
    public boolean isFinal() {
        return isFinal;
    }
}
