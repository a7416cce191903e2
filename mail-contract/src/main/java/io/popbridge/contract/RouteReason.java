package io.popbridge.contract;

/** Why a recipient was (or was not) chosen for delivery. */
public enum RouteReason {
    /** A configured SINGLE target or an envelope-header recipient in an accepted domain. */
    ROUTED(true),
    /** Taken from To/Cc/Resent-To/Resent-Cc because no envelope header named a recipient. */
    GUESSED(true),
    /** No recipient in an accepted domain: delivered to the fallback mailbox. */
    FALLBACK_NO_LOCAL_RECIPIENT(true),
    /** The envelope recipient is outside the accepted domains: delivered to the fallback mailbox. */
    FALLBACK_FOREIGN_DOMAIN(true),
    /** Our own trace header or too many Received headers: delivered to the fallback mailbox. */
    LOOP(true),
    /** A foreign recipient beside local ones: not delivered anywhere (no relaying), reported only. */
    IGNORED_FOREIGN_DOMAIN(false),
    /** A second copy of a Message-ID for the same final recipient: dropped. */
    DUPLICATE(false);

    private final boolean delivered;

    RouteReason(boolean delivered) {
        this.delivered = delivered;
    }

    /** True if a routed record carries this recipient to the delivery service. */
    public boolean delivered() {
        return delivered;
    }

    public boolean toFallback() {
        return this == FALLBACK_NO_LOCAL_RECIPIENT || this == FALLBACK_FOREIGN_DOMAIN || this == LOOP;
    }
}
