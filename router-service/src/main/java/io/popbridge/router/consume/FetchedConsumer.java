package io.popbridge.router.consume;

import io.popbridge.contract.KafkaHeaders;
import io.popbridge.router.RouterConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Consumes popbridge.fetched.v1 one record at a time. The record is acknowledged (and its offset committed) only
 * after the routed record and the outcome were acknowledged by the broker. A database or broker failure is
 * temporary: the same record is retried after a pause, so the partition waits rather than losing mail.
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
    public void consume(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        long start = System.nanoTime();
        MDC.put("pbid", String.valueOf(record.key()));
        MDC.put("account", KafkaHeaders.optional(record.headers(), KafkaHeaders.ACCOUNT_ID, ""));
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    RoutingResult result = routing.prepare(record.key(), record.headers(), record.value(),
                            Instant.ofEpochMilli(record.timestamp()));
                    if (result instanceof RoutingResult.Publish publish) {
                        publisher.publish(publish);
                        metrics.published(publish, start);
                        Log.debugf("routed %s: %s%s", record.key(), publish.outcome().type(), publish.replay() ? " (replay)" : "");
                    } else if (result instanceof RoutingResult.Skip skip) {
                        metrics.skipped();
                        Log.errorf("fetched record at %s-%d offset %d skipped: %s", record.topic(), record.partition(),
                                record.offset(), skip.why());
                    }
                    return;
                } catch (Exception e) {
                    if (stopping) {
                        throw new IllegalStateException("shutting down while routing " + record.key(), e);
                    }
                    Log.warnf("routing %s failed (attempt %d, retrying in %s): %s", record.key(), attempt,
                            config.publish().retryBackoff(), e.toString());
                    Thread.sleep(config.publish().retryBackoff().toMillis());
                }
            }
        } finally {
            MDC.remove("pbid");
            MDC.remove("account");
        }
    }
}
