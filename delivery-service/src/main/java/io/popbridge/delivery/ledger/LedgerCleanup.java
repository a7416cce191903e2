package io.popbridge.delivery.ledger;

import io.popbridge.delivery.DeliveryConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/** Forgets final delivery rows older than {@code delivery.ledger.retention}, so the ledger follows traffic, not history. */
@ApplicationScoped
public class LedgerCleanup {
    private static final int CHUNK = 10_000; // rows per statement: short transactions

    @Inject
    LedgerRepository ledger;
    @Inject
    DeliveryConfig config;

    @Scheduled(every = "{delivery.ledger.cleanup-every}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Instant cutoff = Instant.now().minus(config.ledger().retention());
        try {
            int removed = cleanUp(cutoff);
            if (removed > 0) {
                Log.infof("delivery ledger clean-up: %d final rows older than %s removed", removed, cutoff);
            }
        } catch (RuntimeException e) {
            Log.warnf("delivery ledger clean-up failed (retried at the next run): %s", e.getMessage());
        }
    }

    /** Deletes final rows last updated before {@code cutoff}, in chunks; returns how many. */
    public int cleanUp(Instant cutoff) {
        int total = 0;
        for (int deleted = CHUNK; deleted >= CHUNK; total += deleted) {
            deleted = ledger.deleteFinalBefore(cutoff, CHUNK);
        }
        return total;
    }
}
