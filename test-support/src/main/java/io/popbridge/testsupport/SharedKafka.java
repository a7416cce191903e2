package io.popbridge.testsupport;

import io.popbridge.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * One real Kafka broker per test JVM (KRaft, one combined broker+controller node, in-process), started on
 * first use and stopped at JVM exit. The popbridge topics are created with the sizes the design needs.
 */
public final class SharedKafka {
    private static final int PARTITIONS = 4;
    private static KafkaClusterTestKit cluster;
    private static int starts;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            start();
        }
        return cluster.bootstrapServers();
    }

    public static synchronized int starts() {
        return starts;
    }

    /** Strong references: JUL keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("kafka"), java.util.logging.Logger.getLogger("org.apache.kafka"),
            java.util.logging.Logger.getLogger("state.change.logger"));

    private static void start() {
        QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
        long begin = System.nanoTime();
        try {
            String maxBytes = Integer.toString(Topics.DEFAULT_MAX_MESSAGE_BYTES + 1024 * 1024);
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("message.max.bytes", maxBytes)
                    .setConfigProp("replica.fetch.max.bytes", maxBytes)
                    .setConfigProp("socket.request.max.bytes", Integer.toString(200 * 1024 * 1024))
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("num.partitions", Integer.toString(PARTITIONS))
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            // the broker runs inside the test JVM: its fatal-error halt (seen at JVM exit, after every test passed,
            // as a non-zero exit code that fails the build) must not end or decide the JVM's fate; it is reported
            Exit.setHaltProcedure((status, message) -> System.err.printf(
                    "[test-support] the embedded Kafka broker asked to halt (%d): %s%n", status, message));
            Exit.setExitProcedure((status, message) -> System.err.printf(
                    "[test-support] the embedded Kafka broker asked to exit (%d): %s%n", status, message));
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            cluster = kit;
            starts++;
            createTopics();
            Runtime.getRuntime().addShutdownHook(new Thread(SharedKafka::closeQuietly, "kafka-test-kit-stop"));
            System.out.printf("[test-support] Kafka broker started at %s in %d ms (start #%d in this JVM)%n",
                    kit.bootstrapServers(), (System.nanoTime() - begin) / 1_000_000, starts);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Kafka test broker", e);
        }
    }

    private static void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Map<String, String> config = Map.of("max.message.bytes", Integer.toString(Topics.DEFAULT_MAX_MESSAGE_BYTES + 1024 * 1024));
            admin.createTopics(List.of(
                    new NewTopic(Topics.FETCHED, PARTITIONS, (short) 1).configs(config),
                    new NewTopic(Topics.ROUTED, PARTITIONS, (short) 1).configs(config),
                    new NewTopic(Topics.OUTCOMES, PARTITIONS, (short) 1))).all().get();
        }
    }

    /** A producer of raw bytes for tests that play an upstream service. */
    public static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.DEFAULT_MAX_MESSAGE_BYTES + 1024 * 1024));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }

    /** A consumer of raw bytes assigned to every partition of {@code topic}, starting at the current end. */
    public static KafkaConsumer<String, byte[]> consumerAtEnd(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Topics.DEFAULT_MAX_MESSAGE_BYTES + 1024 * 1024));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before anything is produced
        return consumer;
    }

    /** Polls until {@code count} records matching {@code filter} arrived or the timeout passed; returns what came. */
    public static List<ConsumerRecord<String, byte[]>> await(KafkaConsumer<String, byte[]> consumer, int count,
                                                             Predicate<ConsumerRecord<String, byte[]>> filter,
                                                             Duration timeout) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (filter.test(record)) {
                    seen.add(record);
                }
            }
        }
        return seen;
    }

    private static synchronized void closeQuietly() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } catch (Exception ignored) {
            // the JVM is exiting
        }
    }
}
