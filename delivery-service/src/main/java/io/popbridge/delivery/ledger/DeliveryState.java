package io.popbridge.delivery.ledger;

/** The state of one (pbid, recipient) in the ledger. */
public enum DeliveryState {
    DELIVERED(true), DEFERRED(false), FALLBACK(true), PARKED(true);

    private final boolean isFinal;

    DeliveryState(boolean isFinal) {
        this.isFinal = isFinal;
    }

    public boolean isFinal() {
        return isFinal;
    }
}
