package io.popbridge.delivery.outcome;

import io.popbridge.common.kafka.KafkaClientProperties;
import io.smallrye.common.annotation.Identifier;
import java.util.Map;
import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.Topics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes delivery outcomes to popbridge.outcomes.v1 and waits for the broker's acknowledgement, so the
 * consumer commits its offset only after the outcome is durable.
 */
@ApplicationScoped
public class OutcomePublisher {
    private final KafkaProducer<String, byte[]> producer;

    OutcomePublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Properties p = new Properties();
        p.putAll(KafkaClientProperties.from(kafka));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, KafkaClientProperties.compression());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10"); // acks are awaited once per poll: fuller requests, less broker work
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "delivery-outcomes");
        this.producer = new KafkaProducer<>(p);
    }

    /** Sends without waiting; {@link #await(Future)} makes it durable. */
    public Future<RecordMetadata> send(OutcomeEvent event) {
        return producer.send(new ProducerRecord<>(Topics.OUTCOMES, event.pbid(), event.toJson()));
    }

    public void await(Future<RecordMetadata> sent) {
        try {
            sent.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing an outcome", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish an outcome: " + e.getMessage(), e);
        }
    }

    public void publish(OutcomeEvent event) {
        await(send(event));
    }

    void onStop(@Observes ShutdownEvent event) {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
