package io.popbridge.delivery.consumer;

import io.popbridge.common.kafka.KafkaClientProperties;
import io.smallrye.common.annotation.Identifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.popbridge.contract.ContractException;
import io.popbridge.contract.RoutedMail;
import io.popbridge.contract.Topics;
import io.popbridge.delivery.DeliveryConfig;
import io.popbridge.delivery.ledger.LedgerRow;
import io.popbridge.delivery.submission.DeliveryService;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.MDC;

/**
 * Consumes popbridge.routed.v1 with manual commits: a record's offset is committed only after the outcome of each
 * of its recipients is durable. Messages are delivered concurrently (one pbid's records in order). When no target is reachable
 * the partition is paused and the record consumed again after a growing pause (capped, so delivery resumes within
 * that time of the target's return); consumer lag shows the backlog meanwhile.
 */
@ApplicationScoped
public class RoutedConsumer {
    @Inject
    DeliveryConfig config;
    @Inject
    DeliveryService delivery;
    @Inject
    MeterRegistry registry;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private KafkaClientMetrics consumerMetrics;

    private volatile boolean running;
    private Thread thread;
    private KafkaConsumer<String, byte[]> consumer;
    private ExecutorService workers;
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private final Map<TopicPartition, Duration> pauses = new HashMap<>();

    void onStart(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            return;
        }
        Properties p = new Properties();
        p.putAll(KafkaClientProperties.from(kafka));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumer().groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "delivery-routed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.consumer().maxPollRecords());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.DEFAULT_MAX_MESSAGE_BYTES + 1024 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.DEFAULT_MAX_MESSAGE_BYTES + 1024 * 1024);
        KafkaClientProperties.channelDefault(ConsumerConfig.FETCH_MIN_BYTES_CONFIG).ifPresent(v -> p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, v));
        KafkaClientProperties.channelDefault(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG).ifPresent(v -> p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, v));
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(30).toMillis());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        // consumer lag (kafka_consumer_fetch_manager_records_lag_max) must show a backlog while a target is down
        consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        workers = Executors.newFixedThreadPool(Math.max(1, config.consumer().parallelism()), r -> {
            Thread t = new Thread(r, "delivery-worker");
            t.setDaemon(true);
            return t;
        });
        running = true;
        thread = new Thread(this::loop, "delivery-consumer");
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            workers.shutdownNow();
        }
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(Topics.ROUTED), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> {
                        resumeAt.remove(tp);
                        pauses.remove(tp);
                    });
                }

                @Override
                public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                }
            });
            while (running) {
                try {
                    resumeDue();
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        process(records);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // a rebalance or broker trouble: uncommitted records come again, the ledger makes them no-ops
                    Log.warnf("routed-mail consumer: %s; continuing", e.toString());
                    sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            Log.errorf(e, "the routed-mail consumer stopped");
        } finally {
            running = false;
            consumerMetrics.close();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** False once the consumer loop ended (readiness turns DOWN). */
    public boolean alive() {
        return !config.consumer().enabled() || running && thread != null && thread.isAlive();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void resumeDue() {
        long now = System.nanoTime();
        List<TopicPartition> due = new ArrayList<>();
        resumeAt.forEach((tp, at) -> {
            if (now - at >= 0) {
                due.add(tp);
            }
        });
        if (!due.isEmpty()) {
            due.forEach(resumeAt::remove);
            consumer.resume(due);
        }
    }

    /** Per partition: the offset to commit, and the offset to seek back to if a target was down. */
    private record PartitionResult(TopicPartition partition, Long commit, Long retryFrom) {
    }

    /**
     * Delivers a poll's records concurrently, one task per pbid (its records in order, so a replayed pbid is never
     * sent twice at once). Each partition then commits up to its first record that must be consumed again; the
     * records after it that were delivered meanwhile are no-ops when they come again (their ledger rows exist).
     */
    private void process(ConsumerRecords<String, byte[]> records) {
        Map<String, List<LedgerRow>> known = knownRows(records);
        Map<TopicPartition, Map<String, Future<Chain>>> running = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
            Map<String, List<ConsumerRecord<String, byte[]>>> byPbid = new LinkedHashMap<>();
            records.records(tp).forEach(r -> byPbid.computeIfAbsent(String.valueOf(r.key()), k -> new ArrayList<>()).add(r));
            Map<String, Future<Chain>> tasks = new LinkedHashMap<>();
            byPbid.forEach((pbid, chain) -> tasks.put(pbid, workers.submit(() -> deliver(tp, chain,
                    known == null ? null : known.getOrDefault(pbid, List.of())))));
            running.put(tp, tasks);
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        running.forEach((tp, tasks) -> {
            PartitionResult r = partitionResult(tp, records.records(tp), tasks);
            if (r.commit() != null) {
                commits.put(tp, new OffsetAndMetadata(r.commit()));
            }
            if (r.retryFrom() != null) {
                pause(tp, r.retryFrom());
            } else {
                pauses.remove(tp);
            }
        });
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
        }
    }

    /**
     * The partition's records in offset order: committed up to the first one whose delivery must be done again.
     * Outcome acks are awaited here, once per poll rather than once per message, before the offset may advance.
     */
    private PartitionResult partitionResult(TopicPartition tp, List<ConsumerRecord<String, byte[]>> records,
                                            Map<String, Future<Chain>> tasks) {
        long retryFrom = Long.MAX_VALUE;
        for (Map.Entry<String, Future<Chain>> task : tasks.entrySet()) {
            try {
                Chain chain = task.getValue().get();
                delivery.awaitPublished(chain.pending());
                if (chain.retryFrom() != null) {
                    retryFrom = Math.min(retryFrom, chain.retryFrom());
                }
            } catch (Exception failure) {
                Log.errorf(failure, "delivery of pbid %s in partition %s failed; consuming it again", task.getKey(), tp);
                long first = records.stream().filter(r -> task.getKey().equals(String.valueOf(r.key())))
                        .mapToLong(ConsumerRecord::offset).min().orElse(records.get(0).offset());
                retryFrom = Math.min(retryFrom, first);
            }
        }
        long end = records.get(records.size() - 1).offset() + 1;
        if (retryFrom == Long.MAX_VALUE) {
            return new PartitionResult(tp, end, null);
        }
        return new PartitionResult(tp, retryFrom > records.get(0).offset() ? retryFrom : null, retryFrom);
    }

    /** What became of one pbid's records: the offset to consume again (or null), and its unacknowledged outcomes. */
    private record Chain(Long retryFrom, List<Future<?>> pending) {
    }

    /** The ledger rows of every pbid of the poll in one query; null (each message reads its own) if that fails. */
    private Map<String, List<LedgerRow>> knownRows(ConsumerRecords<String, byte[]> records) {
        Set<String> pbids = new HashSet<>();
        records.forEach(r -> pbids.add(String.valueOf(r.key())));
        try {
            return delivery.ledgerRows(pbids);
        } catch (RuntimeException e) {
            Log.warnf("reading the ledger for %d messages failed (%s); each message reads its own", pbids.size(), e.getMessage());
            return null;
        }
    }

    /**
     * Delivers the records of one pbid in order, up to the first that must be consumed again. {@code known}: the
     * pbid's ledger rows before the poll, valid for its first record only (the next one sees what that one wrote).
     * A target found down is not tried again for a moment (TargetDirectory#failedMomentsAgo): the messages behind
     * the first that found it down fail at once instead of each waiting for a timeout, while other targets go on.
     */
    private Chain deliver(TopicPartition tp, List<ConsumerRecord<String, byte[]>> chain, List<LedgerRow> known) {
        List<Future<?>> pending = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : chain) {
            if (!deliver(tp, record, record == chain.get(0) ? known : null, pending)) {
                return new Chain(record.offset(), pending);
            }
        }
        return new Chain(null, pending);
    }

    /** False if the record must be consumed again. */
    private boolean deliver(TopicPartition tp, ConsumerRecord<String, byte[]> record, List<LedgerRow> known,
                            List<Future<?>> pending) {
        RoutedMail routed;
        try {
            routed = RoutedMail.fromHeaders(record.key(), record.headers());
        } catch (ContractException | IllegalArgumentException | NullPointerException e) {
            Log.errorf("skipping routed record %s-%d@%d that breaks the contract: %s", tp.topic(), tp.partition(),
                    record.offset(), e.getMessage());
            return true;
        }
        MDC.put("pbid", routed.pbid());
        MDC.put("account", routed.accountId());
        try {
            DeliveryService.Progress progress = known == null ? delivery.deliverRouted(routed, record.value(), pending)
                    : delivery.deliverRouted(routed, record.value(), known, pending);
            return progress != DeliveryService.Progress.TARGET_DOWN;
        } catch (RuntimeException e) {
            Log.errorf(e, "pbid %s: delivery failed; the record will be consumed again", routed.pbid());
            return false;
        } finally {
            MDC.remove("pbid");
            MDC.remove("account");
        }
    }

    private void pause(TopicPartition tp, long offset) {
        Duration previous = pauses.get(tp);
        Duration next = previous == null ? config.targetDown().initialPause() : previous.multipliedBy(2);
        if (next.compareTo(config.targetDown().maxPause()) > 0) {
            next = config.targetDown().maxPause();
        }
        pauses.put(tp, next);
        consumer.seek(tp, offset);
        consumer.pause(List.of(tp));
        resumeAt.put(tp, System.nanoTime() + next.toNanos());
        Log.infof("partition %s paused for %s (target unavailable or delivery failing)", tp, next);
    }
}
