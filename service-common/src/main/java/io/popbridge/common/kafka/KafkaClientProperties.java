package io.popbridge.common.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * Base properties for a Kafka client a service builds itself: everything configured under {@code kafka.*}
 * (bootstrap servers, TLS, SASL — what an operator sets for Strimzi or a managed Kafka), as Quarkus exposes it
 * in the {@code @Identifier("default-kafka-broker")} map, minus the keys only Quarkus understands.
 */
public final class KafkaClientProperties {
    private KafkaClientProperties() {
    }

    public static Map<String, Object> from(Map<String, Object> defaultKafkaBroker) {
        Map<String, Object> config = new HashMap<>();
        defaultKafkaBroker.forEach((key, value) -> {
            if (!key.startsWith("health") && !key.startsWith("devservices") && !key.startsWith("snappy")) {
                config.put(key, value);
            }
        });
        return config;
    }
}
