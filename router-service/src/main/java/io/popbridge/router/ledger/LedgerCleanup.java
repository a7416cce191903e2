package io.popbridge.router.ledger;

import io.popbridge.router.RouterConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Instant;

/** Forgets ledger rows and stored decisions older than the retention window. */
@ApplicationScoped
public class LedgerCleanup {
    @Inject
    DuplicateLedger ledger;
    @Inject
    RoutingStore store;
    @Inject
    RouterConfig config;

    @Scheduled(every = "{router.ledger.cleanup-every}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void cleanUp() throws SQLException {
        Instant cutoff = Instant.now().minus(config.ledger().retention());
        int pairs = ledger.deleteOlderThan(cutoff);
        int decisions = store.deleteOlderThan(cutoff);
        if (pairs + decisions > 0) {
            Log.infof("ledger clean-up: %d recipient pairs and %d routed decisions older than %s removed", pairs, decisions, cutoff);
        }
    }
}
