package io.popbridge.delivery.submission;

import static io.popbridge.delivery.DeliveryTestKit.createTarget;
import static io.popbridge.delivery.DeliveryTestKit.outcomes;
import static io.popbridge.delivery.DeliveryTestKit.pbid;
import static io.popbridge.delivery.DeliveryTestKit.publish;
import static io.popbridge.delivery.DeliveryTestKit.routed;
import static io.popbridge.delivery.DeliveryTestKit.to;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.delivery.smtp.SmtpThroughputBenchmarkMessages;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * End-to-end delivery throughput (routed record on Kafka → SMTP 250 → outcome on Kafka) for 20 KB messages, with
 * and without connection reuse. Prints, asserts nothing; not part of the normal run. Against the lab Postfix:
 * {@code ./mvnw -B test -pl delivery-service -Dtest=DeliveryThroughputBenchmark -Dbench.host=127.0.0.1 -Dbench.port=2525}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class DeliveryThroughputBenchmark {
    private static final int N = Integer.getInteger("bench.messages", 400);

    @Test
    void prints_end_to_end_throughput() {
        SmtpThroughputBenchmarkMessages.BenchServer bench = SmtpThroughputBenchmarkMessages.BenchServer.fromProperties();
        String host = bench.host();
        int port = bench.port();
        byte[] raw = SmtpThroughputBenchmarkMessages.twentyKb("user001@example.com");
        System.out.printf("%n[bench] end to end: %d routed records of %d bytes to %s:%d%n", N, raw.length, host, port);
        measure("warm-up", host, port, Map.of("maxConnections", 4, "maxMessagesPerConnection", 100), raw, N / 4);
        measure("no connection reuse (1 message per connection), 4 connections", host, port,
                Map.of("maxConnections", 4, "maxMessagesPerConnection", 1), raw, N);
        measure("connection reuse (100 per connection), 4 connections", host, port,
                Map.of("maxConnections", 4, "maxMessagesPerConnection", 100), raw, N);
        bench.close();
    }

    private static void measure(String name, String host, int port, Map<String, Object> limits, byte[] raw, int n) {
        String id = createTarget(host, port, "NONE", List.of("example.com"), limits);
        try (KafkaConsumer<String, byte[]> outcomes = outcomes()) {
            Set<String> pending = new HashSet<>();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String pbid = pbid();
                pending.add(pbid);
                publish(routed(pbid, "bench@isp.test", "", List.of(to("user001@example.com"))), raw);
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            int delivered = 0;
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : outcomes.poll(Duration.ofMillis(200))) {
                    if (pending.contains(r.key()) && OutcomeEvent.fromJson(r.value()).type() == OutcomeType.DELIVERED) {
                        pending.remove(r.key());
                        delivered++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("[bench] %-62s %7.1f messages/s (%d delivered in %.2f s)%n", name, delivered / seconds, delivered, seconds);
        } finally {
            io.restassured.RestAssured.given().auth().preemptive().basic("admin", "admin").delete("/api/v1/targets/" + id);
        }
    }

}
