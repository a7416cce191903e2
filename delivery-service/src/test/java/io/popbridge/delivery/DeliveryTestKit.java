package io.popbridge.delivery;

import static io.restassured.RestAssured.given;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.contract.Pbid;
import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutedMail;
import io.popbridge.contract.RoutedRecipient;
import io.popbridge.contract.Topics;
import io.popbridge.testsupport.SharedKafka;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Helpers for delivery tests that play the router (routed records) and the fetcher (outcomes). */
public final class DeliveryTestKit {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static KafkaProducer<String, byte[]> producer;

    private DeliveryTestKit() {
    }

    /** A domain no other test uses, so each test's target serves only its own mail. */
    public static String uniqueDomain() {
        return "d" + SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6) + ".test";
    }

    public static String createTarget(String host, int port, String security, List<String> domains, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "t-" + UUID.randomUUID(), "host", host, "port", port,
                "security", security, "verifyCertificate", false, "domains", domains, "heloName", "popbridge.test"));
        body.putAll(extra);
        return given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON).body(body)
                .post("/api/v1/targets").then().statusCode(201).extract().path("id");
    }

    public static String pbid() {
        return Pbid.of("acct-test", "uidl-" + UUID.randomUUID());
    }

    public static RoutedMail routed(String pbid, String envelopeFrom, String fallback, List<RoutedRecipient> recipients) {
        return new RoutedMail(pbid, "acct-test", "Test account", "uidl-x", Instant.now().minusSeconds(1),
                "pop.isp.test:995", envelopeFrom, recipients, fallback, Instant.now());
    }

    public static RoutedRecipient to(String address) {
        return new RoutedRecipient(address, address, "Delivered-To", RouteReason.ROUTED);
    }

    public static synchronized void publish(RoutedMail mail, byte[] raw) {
        if (producer == null) {
            producer = SharedKafka.producer();
        }
        try {
            producer.send(new ProducerRecord<>(Topics.ROUTED, null, mail.pbid(), raw, mail.toHeaders())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KafkaConsumer<String, byte[]> outcomes() {
        return SharedKafka.consumerAtEnd(Topics.OUTCOMES);
    }

    /** Waits for outcomes of {@code pbid} until one of type {@code until} arrived; returns all seen, in order. */
    public static List<OutcomeEvent> awaitOutcome(KafkaConsumer<String, byte[]> consumer, String pbid, OutcomeType until,
                                                  Duration timeout) {
        return awaitOutcomes(consumer, pbid, until, 1, timeout);
    }

    /** Waits until {@code count} outcomes of type {@code until} arrived for {@code pbid}; returns all seen, in order. */
    public static List<OutcomeEvent> awaitOutcomes(KafkaConsumer<String, byte[]> consumer, String pbid, OutcomeType until,
                                                   int count, Duration timeout) {
        List<OutcomeEvent> seen = new ArrayList<>();
        int found = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (found < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (pbid.equals(r.key())) { // the whole batch is kept: nothing polled is dropped
                    OutcomeEvent e = OutcomeEvent.fromJson(r.value());
                    seen.add(e);
                    found += e.type() == until ? 1 : 0;
                }
            }
        }
        return seen;
    }
}
