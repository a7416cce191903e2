package io.popbridge.router.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.contract.RoutingSettings;
import io.popbridge.contract.Topics;
import io.popbridge.router.Fixtures;
import io.popbridge.router.message.RawMessage;
import io.popbridge.router.routing.Router;
import io.popbridge.router.routing.RoutingContext;
import io.popbridge.router.rule.RuleSet;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Routing throughput for 20 KB messages with 5 recipients each; prints figures, asserts only completeness.
 * Not part of the default run: {@code ./mvnw -B test -pl router-service -Dtest=RoutingBenchmarkTest -Dbenchmark=true}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class RoutingBenchmarkTest {
    static final int WARM_UP = 200;
    static final int MESSAGES = 2000;
    static final RoutingSettings CATCH_ALL = RoutingSettings.catchAll(List.of("example.com"), List.of(), false);

    static byte[] message(int n) {
        StringBuilder m = new StringBuilder()
                .append("Return-Path: <sender@partner.org>\r\n")
                .append("Envelope-To: r1@example.com, r2@example.com, r3@example.com, r4@example.com, r5@example.com\r\n")
                .append("Received: from mx.isp.net by pop.isp.net; Sat, 21 Nov 2026 10:00:02 +0100\r\n")
                .append("From: Sender <sender@partner.org>\r\nTo: r1@example.com, r2@example.com\r\n")
                .append("Message-ID: <bench-").append(n).append('-').append(System.nanoTime()).append("@partner.org>\r\n")
                .append("Subject: benchmark ").append(n).append("\r\n\r\n");
        while (m.length() < 20 * 1024) {
            m.append("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void routing_throughput_for_20_kb_messages_with_5_recipients() {
        // 1. the decision alone (parse headers, parse addresses, rules, domains)
        RoutingContext context = new RoutingContext(Map.of("example.com", "postmaster@example.com"), RuleSet.EMPTY,
                "popbridge", 50, Optional.empty());
        byte[] sample = message(0);
        for (int i = 0; i < 20_000; i++) {
            Router.route(RawMessage.parse(sample), CATCH_ALL, context);
        }
        int decisions = 100_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < decisions; i++) {
            assertThat(Router.route(RawMessage.parse(sample), CATCH_ALL, context).delivered()).hasSize(5);
        }
        double decisionRate = decisions / ((System.nanoTime() - t0) / 1e9);

        // 2. end to end: fetched record → ledger and stored decision in PostgreSQL → routed + outcome acknowledged
        Fixtures.acceptedDomains();
        String account = Fixtures.account();
        try (KafkaConsumer<String, byte[]> outcomes = SharedKafka.consumerAtEnd(Topics.OUTCOMES)) {
            run(account, "w", WARM_UP, outcomes);
            long t1 = System.nanoTime();
            run(account, "m", MESSAGES, outcomes);
            double seconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("%n[benchmark] router decision only: %.0f messages/s (20 KB, 5 recipients)%n", decisionRate);
            System.out.printf("[benchmark] end to end (Kafka in, PostgreSQL ledger, routed + outcome acknowledged): "
                    + "%d messages in %.1f s = %.0f messages/s, %.0f recipients/s%n%n",
                    MESSAGES, seconds, MESSAGES / seconds, 5 * MESSAGES / seconds);
        }
    }

    private static void run(String account, String prefix, int count, KafkaConsumer<String, byte[]> outcomes) {
        Set<String> pending = new HashSet<>();
        for (int i = 0; i < count; i++) {
            byte[] m = message(i);
            pending.add(io.popbridge.contract.Pbid.of(account, prefix + i));
            Fixtures.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.FETCHED, null,
                    io.popbridge.contract.Pbid.of(account, prefix + i), m,
                    new io.popbridge.contract.FetchedMail(io.popbridge.contract.Pbid.of(account, prefix + i), account, "bench",
                            prefix + i, java.time.Instant.now(), m.length, "bench:995", CATCH_ALL).toHeaders()));
        }
        Fixtures.producer().flush();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            outcomes.poll(Duration.ofMillis(200)).forEach(r -> pending.remove(r.key()));
        }
        assertThat(pending).as("outcomes still missing").isEmpty();
    }
}
