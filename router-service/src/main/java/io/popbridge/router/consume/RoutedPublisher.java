package io.popbridge.router.consume;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.router.RouterConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes the routed records and outcome events of a batch and returns only when the broker acknowledged all.
 * The emitters buffer a whole batch of every concurrent worker (routed + outcome per record).
 */
@ApplicationScoped
public class RoutedPublisher {
    public static final String ROUTED_CHANNEL = "routed";
    public static final String OUTCOMES_CHANNEL = "outcomes";
    /** Above max-concurrency × max.poll.records of the fetched channel × two records each (8 × 200 × 2). */
    static final int EMITTER_BUFFER = 4096;

    @Inject
    @Channel(ROUTED_CHANNEL)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = EMITTER_BUFFER)
    MutinyEmitter<byte[]> routed;

    @Inject
    @Channel(OUTCOMES_CHANNEL)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = EMITTER_BUFFER)
    MutinyEmitter<OutcomeEvent> outcomes;

    @Inject
    RouterConfig config;

    /** Blocks until every record of the batch is acknowledged; throws if the broker refuses or the timeout passes. */
    public void publish(List<RoutingResult.Publish> results) {
        if (results.isEmpty()) {
            return;
        }
        List<Uni<Void>> sends = new ArrayList<>(2 * results.size());
        for (RoutingResult.Publish result : results) {
            String pbid = result.outcome().pbid();
            result.routedHeaders().ifPresent(headers -> sends.add(routed.sendMessage(Message.of(result.routedValue())
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(pbid)
                            .withHeaders(new RecordHeaders(headers.toArray())).build()))));
            sends.add(outcomes.sendMessage(Message.of(result.outcome())
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(pbid).build())));
        }
        Uni.join().all(sends).andFailFast().replaceWithVoid().await().atMost(config.publish().timeout());
    }
}
