package io.popbridge.common.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Base properties for a Kafka client a service builds itself: everything configured under {@code kafka.*}
 * (bootstrap servers, TLS, SASL — what an operator sets for Strimzi or a managed Kafka), as Quarkus exposes it
 * in the {@code @Identifier("default-kafka-broker")} map, minus the keys only Quarkus understands.
 */
public final class KafkaClientProperties {
    /** Prefix of the settings every SmallRye channel gets; clients a service builds itself use the same values. */
    private static final String CHANNEL_DEFAULTS = "mp.messaging.connector.smallrye-kafka.";

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

    /** The producers' compression codec, as configured for the channels (one setting for the whole service). */
    public static String compression() {
        return channelDefault("compression.type").orElse("none");
    }

    /** A Kafka client setting as configured for every channel, e.g. {@code fetch.min.bytes}. */
    public static Optional<String> channelDefault(String key) {
        return ConfigProvider.getConfig().getOptionalValue(CHANNEL_DEFAULTS + key, String.class);
    }
}
