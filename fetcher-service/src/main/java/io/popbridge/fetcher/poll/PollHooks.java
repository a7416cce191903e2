package io.popbridge.fetcher.poll;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fault-injection points for tests that must prove crash safety (a crash between the broker's ack and the
 * ledger write). No-ops unless a test sets them.
 */
@ApplicationScoped
public class PollHooks {
    private volatile Runnable beforeLedgerWrite = () -> { };

    public void beforeLedgerWrite(Runnable hook) {
        this.beforeLedgerWrite = hook == null ? () -> { } : hook;
    }

    void runBeforeLedgerWrite() {
        beforeLedgerWrite.run();
    }
}
