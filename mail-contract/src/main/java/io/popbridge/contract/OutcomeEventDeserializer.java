package io.popbridge.contract;

import org.apache.kafka.common.serialization.Deserializer;

/** Kafka deserializer for {@link OutcomeEvent}; a malformed event raises {@link ContractException}. */
public class OutcomeEventDeserializer implements Deserializer<OutcomeEvent> {
    @Override
    public OutcomeEvent deserialize(String topic, byte[] data) {
        return data == null ? null : OutcomeEvent.fromJson(data);
    }
}
