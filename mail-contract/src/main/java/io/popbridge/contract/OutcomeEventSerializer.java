package io.popbridge.contract;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for {@link OutcomeEvent}: {@code value.serializer=io.popbridge.contract.OutcomeEventSerializer}. */
public class OutcomeEventSerializer implements Serializer<OutcomeEvent> {
    @Override
    public byte[] serialize(String topic, OutcomeEvent event) {
        return event == null ? null : event.toJson();
    }
}
