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

/** Publishes the routed record and the outcome event and returns only when the broker acknowledged both. */
@ApplicationScoped
public class RoutedPublisher {
    public static final String ROUTED_CHANNEL = "routed";
    public static final String OUTCOMES_CHANNEL = "outcomes";

    @Inject
    @Channel(ROUTED_CHANNEL)
    MutinyEmitter<byte[]> routed;

    @Inject
    @Channel(OUTCOMES_CHANNEL)
    MutinyEmitter<OutcomeEvent> outcomes;

    @Inject
    RouterConfig config;

    /** Blocks until both records are acknowledged; throws if the broker refuses or the timeout passes. */
    public void publish(RoutingResult.Publish result) {
        String pbid = result.outcome().pbid();
        List<Uni<Void>> sends = new ArrayList<>(2);
        result.routedHeaders().ifPresent(headers -> sends.add(routed.sendMessage(Message.of(result.routedValue())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(pbid)
                        .withHeaders(new RecordHeaders(headers.toArray())).build()))));
        sends.add(outcomes.sendMessage(Message.of(result.outcome())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(pbid).build())));
        Uni.join().all(sends).andFailFast().replaceWithVoid().await().atMost(config.publish().timeout());
    }
}
