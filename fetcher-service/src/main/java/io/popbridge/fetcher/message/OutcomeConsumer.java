package io.popbridge.fetcher.message;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.fetcher.poll.InFlight;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes popbridge.outcomes.v1 in batches: stores the events (idempotent by Kafka coordinates) and folds them
 * into each message's status, which decides deletion under DELETE_AFTER_DELIVERY. A database failure is retried
 * (the partition waits rather than losing an outcome).
 */
@ApplicationScoped
public class OutcomeConsumer {
    public static final String CHANNEL = "outcomes-in";

    @Inject
    MessageRepository messages;

    @Inject
    InFlight inFlight;

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, OutcomeEvent> records) throws InterruptedException {
        List<StoredOutcome> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, OutcomeEvent> r : records) {
            if (r.value() == null) {
                Log.warnf("skipping a malformed outcome event at %s-%d@%d", r.topic(), r.partition(), r.offset());
                continue;
            }
            batch.add(new StoredOutcome(r.partition(), r.offset(), r.value()));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                inFlight.finished(messages.store(batch));
                return;
            } catch (RuntimeException e) {
                if (attempt >= 10) {
                    throw e;
                }
                Log.warnf("cannot store %d outcome events (attempt %d): %s", batch.size(), attempt, e.getMessage());
                Thread.sleep(Math.min(30_000L, 500L * attempt * attempt));
            }
        }
    }
}
