package io.popbridge.router.consume;

import io.popbridge.router.RouterConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes popbridge.fetched.v1 in batches (what one poll of the broker returned): one database transaction and
 * one wait for the broker's acks per batch instead of per message. The batch is acknowledged (its offsets
 * committed) only after every routed record and outcome of it was acknowledged by the broker. A database or
 * broker failure is temporary: the whole batch is retried after a pause (stored decisions make that a replay),
 * so the partitions wait rather than losing mail.
 */
@ApplicationScoped
public class FetchedConsumer {
    public static final String CHANNEL = "fetched";

    @Inject
    RoutingService routing;
    @Inject
    RoutedPublisher publisher;
    @Inject
    RouterMetrics metrics;
    @Inject
    RouterConfig config;

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Incoming(CHANNEL)
    @Blocking(value = "router-routing", ordered = false)
    public void consume(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        long start = System.nanoTime();
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        for (int attempt = 1; ; attempt++) {
            try {
                List<RoutingResult> results = routing.prepare(batch);
                publisher.publish(results.stream().filter(RoutingResult.Publish.class::isInstance)
                        .map(RoutingResult.Publish.class::cast).toList());
                report(batch, results, start);
                return;
            } catch (Exception e) {
                if (stopping) {
                    throw new IllegalStateException("shutting down while routing " + batch.size() + " records", e);
                }
                Log.warnf("routing %d records (first %s) failed (attempt %d, retrying in %s): %s", batch.size(),
                        batch.get(0).key(), attempt, config.publish().retryBackoff(), e.toString());
                Thread.sleep(config.publish().retryBackoff().toMillis());
            }
        }
    }

    private void report(List<ConsumerRecord<String, byte[]>> batch, List<RoutingResult> results, long start) {
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<String, byte[]> record = batch.get(i);
            if (results.get(i) instanceof RoutingResult.Publish publish) {
                metrics.published(publish, start);
                Log.debugf("routed %s: %s%s", record.key(), publish.outcome().type(), publish.replay() ? " (replay)" : "");
            } else if (results.get(i) instanceof RoutingResult.Skip skip) {
                metrics.skipped();
                Log.errorf("fetched record at %s-%d offset %d skipped: %s", record.topic(), record.partition(),
                        record.offset(), skip.why());
            }
        }
    }
}
