package io.popbridge.delivery.retry;

import io.popbridge.delivery.DeliveryConfig;
import io.popbridge.delivery.DeliveryMetrics;
import io.popbridge.delivery.ledger.LedgerRepository;
import io.popbridge.delivery.ledger.LedgerRow;
import io.popbridge.delivery.submission.DeliveryService;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/** Retries due deferred deliveries from the ledger (several replicas share them with SKIP LOCKED) and refreshes the queue gauges. */
@ApplicationScoped
public class RetryScheduler {
    @Inject
    LedgerRepository ledger;
    @Inject
    DeliveryService delivery;
    @Inject
    DeliveryMetrics metrics;
    @Inject
    DeliveryConfig config;

    private final AtomicBoolean busy = new AtomicBoolean();

    @Scheduled(every = "${delivery.retry.scan-interval:15s}", delay = 2, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scan() {
        runDue();
    }

    /** Retries whatever is due now (also called after {@code POST /deliveries/{id}/retry}). */
    public void runDue() {
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        try {
            List<LedgerRow> due;
            do {
                due = ledger.claimDue(config.retry().batchSize(), Duration.ofMinutes(10));
                Map<String, List<LedgerRow>> byMessage = due.stream()
                        .collect(Collectors.groupingBy(LedgerRow::pbid, LinkedHashMap::new, Collectors.toList()));
                byMessage.forEach((pbid, rows) -> {
                    try {
                        delivery.retry(rows);
                    } catch (RuntimeException e) {
                        Log.errorf(e, "pbid %s: retry failed; it stays deferred", pbid);
                    }
                });
            } while (due.size() == config.retry().batchSize());
            refreshGauges();
        } catch (RuntimeException e) {
            Log.warnf("retry scan failed: %s", e.getMessage());
        } finally {
            busy.set(false);
        }
    }

    private void refreshGauges() {
        long[] stats = ledger.queueStats();
        metrics.queue(stats[0], stats[1], stats[2]);
    }
}
