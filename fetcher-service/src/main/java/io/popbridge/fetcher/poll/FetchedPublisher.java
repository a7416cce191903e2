package io.popbridge.fetcher.poll;

import io.popbridge.common.kafka.KafkaClientProperties;
import io.popbridge.contract.FetchedMail;
import io.popbridge.contract.Topics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes raw messages to {@link Topics#FETCHED}: key pbid, value the RETR bytes, metadata in headers. A plain
 * idempotent producer (acks=all), so a poll can publish a batch and then wait for every ack before the ledger write.
 */
@ApplicationScoped
public class FetchedPublisher {
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private KafkaProducer<String, byte[]> producer;

    @PostConstruct
    void start() {
        Map<String, Object> config = KafkaClientProperties.from(kafka);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, KafkaClientProperties.compression());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.DEFAULT_MAX_MESSAGE_BYTES + 1024 * 1024));
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(128 * 1024 * 1024));
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "popbridge-fetcher-" + Integer.toHexString(System.identityHashCode(this)));
        producer = new KafkaProducer<>(config);
    }

    public Future<RecordMetadata> publish(FetchedMail mail, byte[] raw) {
        return producer.send(new ProducerRecord<>(Topics.FETCHED, null, mail.pbid(), raw, mail.toHeaders()));
    }

    @PreDestroy
    void stop() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }
}
