package io.popbridge.delivery.retry;

import io.popbridge.delivery.DeliveryConfig;
import io.popbridge.delivery.DeliveryMetrics;
import io.popbridge.delivery.ledger.LedgerRepository;
import io.popbridge.delivery.ledger.LedgerRow;
import io.popbridge.delivery.submission.DeliveryService;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.MDC;

/** Retries (on its own timer, every delivery.retry.scan-interval) due deferred deliveries from the ledger (several replicas share them with SKIP LOCKED) and refreshes the queue gauges. */
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

    private ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "delivery-retry");
            t.setDaemon(true);
            return t;
        });
        long every = config.retry().scanInterval().toMillis();
        timer.scheduleWithFixedDelay(this::runDue, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
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
                    MDC.put("pbid", pbid);
                    MDC.put("account", rows.get(0).accountId());
                    try {
                        delivery.retry(rows);
                    } catch (RuntimeException e) {
                        Log.errorf(e, "pbid %s: retry failed; it stays deferred", pbid);
                    } finally {
                        MDC.remove("pbid");
                        MDC.remove("account");
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
