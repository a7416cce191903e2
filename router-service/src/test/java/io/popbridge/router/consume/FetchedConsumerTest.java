package io.popbridge.router.consume;

import static io.popbridge.router.Fixtures.account;
import static io.popbridge.router.Fixtures.publishFetched;
import static io.popbridge.router.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.popbridge.contract.KafkaHeaders;
import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutedMail;
import io.popbridge.contract.RoutedRecipient;
import io.popbridge.contract.RoutingSettings;
import io.popbridge.contract.Topics;
import io.popbridge.router.Eml;
import io.popbridge.router.Fixtures;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole router against the real broker and database: fetched records in, routed records and outcomes out. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class FetchedConsumerTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final RoutingSettings CATCH_ALL = RoutingSettings.catchAll(List.of("example.com"), List.of(), false);
    static final RoutingSettings GUESSING = RoutingSettings.catchAll(List.of("example.com"), List.of(), true);

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    KafkaConsumer<String, byte[]> routed;
    KafkaConsumer<String, byte[]> outcomes;

    @BeforeEach
    void listen() {
        Fixtures.acceptedDomains();
        routed = SharedKafka.consumerAtEnd(Topics.ROUTED);
        outcomes = SharedKafka.consumerAtEnd(Topics.OUTCOMES);
    }

    @AfterEach
    void close() {
        routed.close();
        outcomes.close();
    }

    @Test
    void each_isp_copy_goes_only_to_its_recipient_and_a_second_copy_for_the_same_recipient_is_a_duplicate() {
        String account = account();
        String alice = publishFetched(account, "1", Eml.load("isp-copy-alice.eml"), CATCH_ALL);
        String bob = publishFetched(account, "2", Eml.load("isp-copy-bob.eml"), CATCH_ALL);
        List<OutcomeEvent> events = new ArrayList<>(outcomes(Set.of(alice, bob), 2));
        // the second copy is fetched later: copies sit in different partitions, and Kafka orders none across them,
        // so "the first copy is routed" is only defined once the first was consumed
        String aliceAgain = publishFetched(account, "3", Eml.load("isp-copy-alice.eml"), CATCH_ALL);
        events.addAll(outcomes(Set.of(aliceAgain), 1));

        assertThat(events).extracting(OutcomeEvent::pbid, OutcomeEvent::type)
                .containsExactlyInAnyOrder(tuple(alice, OutcomeType.ROUTED), tuple(bob, OutcomeType.ROUTED),
                        tuple(aliceAgain, OutcomeType.DUPLICATE));
        OutcomeEvent duplicate = events.stream().filter(e -> e.pbid().equals(aliceAgain)).findFirst().orElseThrow();
        assertThat(duplicate.recipients()).extracting(RoutedRecipient::address, RoutedRecipient::reason)
                .containsExactly(tuple("alice@example.com", RouteReason.DUPLICATE));
        assertThat(duplicate.messageId()).isEqualTo("<q3-numbers-4711@partner.org>");

        List<ConsumerRecord<String, byte[]>> records = routedRecords(Set.of(alice, bob, aliceAgain), 2);
        assertThat(records).extracting(r -> RoutedMail.fromHeaders(r.key(), r.headers()).recipients())
                .containsExactlyInAnyOrder(
                        List.of(new RoutedRecipient("alice@example.com", "alice@example.com", "Delivered-To", RouteReason.ROUTED)),
                        List.of(new RoutedRecipient("bob@example.com", "bob@example.com", "Delivered-To", RouteReason.ROUTED)));
        assertThat(records).allSatisfy(r -> {
            RoutedMail mail = RoutedMail.fromHeaders(r.key(), r.headers());
            assertThat(mail.envelopeFrom()).isEqualTo("sender@partner.org");
            assertThat(mail.fallback()).isEqualTo("postmaster@example.com");
            assertThat(mail.accountId()).isEqualTo(account);
            assertThat(r.value()).as("message bytes unchanged").isEqualTo(
                    Eml.load(r.key().equals(alice) ? "isp-copy-alice.eml" : "isp-copy-bob.eml"));
        });
        assertThat(records).extracting(ConsumerRecord::key).as("no routed record for a duplicate copy").doesNotContain(aliceAgain);
    }

    @Test
    void the_same_pbid_consumed_twice_is_routed_again_identically() {
        String account = account();
        byte[] message = unique("to-cc-fallback.eml");
        String first = publishFetched(account, "same-uidl", message, GUESSING);
        List<ConsumerRecord<String, byte[]>> once = routedRecords(Set.of(first), 1);
        String again = publishFetched(account, "same-uidl", message, GUESSING);
        assertThat(again).isEqualTo(first);

        List<ConsumerRecord<String, byte[]>> twice = routedRecords(Set.of(first), 1);
        assertThat(once).hasSize(1);
        assertThat(twice).hasSize(1);
        assertThat(headers(twice.get(0))).isEqualTo(headers(once.get(0)));
        assertThat(twice.get(0).value()).isEqualTo(once.get(0).value());
        RoutedMail mail = RoutedMail.fromHeaders(first, twice.get(0).headers());
        assertThat(mail.recipients()).extracting(RoutedRecipient::reason).containsOnly(RouteReason.GUESSED).hasSize(5);

        List<ConsumerRecord<String, byte[]>> events = await(outcomes, Set.of(first), 2);
        assertThat(events).hasSize(2);
        assertThat(new String(events.get(1).value(), StandardCharsets.UTF_8))
                .as("the replayed outcome is identical, not a duplicate")
                .isEqualTo(new String(events.get(0).value(), StandardCharsets.UTF_8));
        assertThat(OutcomeEvent.fromJson(events.get(1).value()).type()).isEqualTo(OutcomeType.ROUTED);
    }

    @Test
    void malformed_input_gets_a_clear_decision_and_never_stalls_the_partition() {
        String account = account();
        String garbage = publishFetched(account, "g", unique("garbage-to.eml"), GUESSING);
        String eightBit = publishFetched(account, "8", unique("eight-bit.eml"), CATCH_ALL);
        String longLine = publishFetched(account, "l", unique("long-header-line.eml"), CATCH_ALL);
        String noBlank = publishFetched(account, "n", unique("no-blank-line.eml"), CATCH_ALL);
        String empty = publishFetched(account, "e", new byte[0], CATCH_ALL);
        String noRouting = io.popbridge.contract.Pbid.of(account, "no-routing");
        RecordHeaders partial = new RecordHeaders();
        KafkaHeaders.put(partial, KafkaHeaders.ACCOUNT_ID, account);
        Fixtures.send(noRouting, unique("isp-copy-alice.eml"), partial);
        Fixtures.send("not-a-pbid", Eml.load("isp-copy-alice.eml"), new RecordHeaders());
        String after = publishFetched(account, "after", unique("isp-copy-bob.eml"), CATCH_ALL);

        List<OutcomeEvent> events = outcomes(Set.of(garbage, eightBit, longLine, noBlank, empty, noRouting, after), 7);
        assertThat(events).hasSize(7);
        assertThat(find(events, garbage).recipients()).extracting(RoutedRecipient::address, RoutedRecipient::reason)
                .containsExactly(tuple("postmaster@example.com", RouteReason.FALLBACK_NO_LOCAL_RECIPIENT));
        assertThat(find(events, garbage).reason()).contains("To: not a valid RFC 5322 address list");
        assertThat(find(events, eightBit).recipients()).extracting(RoutedRecipient::reason).containsExactly(RouteReason.ROUTED);
        assertThat(find(events, eightBit).subject()).isEqualTo("Grüße aus Köln");
        assertThat(find(events, longLine).recipients()).extracting(RoutedRecipient::reason).containsExactly(RouteReason.ROUTED);
        assertThat(find(events, noBlank).reason()).startsWith("malformed").contains("no blank line");
        assertThat(find(events, noBlank).deliveredRecipients()).containsExactly("alice@example.com");
        assertThat(find(events, empty).reason()).startsWith("malformed");
        assertThat(find(events, empty).deliveredRecipients()).containsExactly("postmaster@example.com");
        assertThat(find(events, noRouting).reason()).startsWith("malformed metadata: missing Kafka header pb-");
        assertThat(find(events, noRouting).deliveredRecipients()).as("no fallback is known for it").isEmpty();
        assertThat(find(events, after).deliveredRecipients()).containsExactly("bob@example.com");
    }

    @Test
    void loops_go_to_the_fallback_mailbox_with_reason_loop() {
        String account = account();
        String hops = publishFetched(account, "hops", unique("loop-hop-count.eml"), CATCH_ALL);
        String marker = publishFetched(account, "marker", unique("loop-own-marker.eml"), CATCH_ALL);
        List<ConsumerRecord<String, byte[]>> records = routedRecords(Set.of(hops, marker), 2);
        assertThat(records).hasSize(2).allSatisfy(r -> assertThat(RoutedMail.fromHeaders(r.key(), r.headers()).recipients())
                .containsExactly(new RoutedRecipient("postmaster@example.com", "alice@example.com", "Delivered-To", RouteReason.LOOP)));
    }

    @Test
    void the_privacy_option_removes_the_envelope_headers_and_nothing_else() {
        RoutingSettings hide = new RoutingSettings(CATCH_ALL.mode(), List.of(), List.of("example.com"), List.of(), false, true);
        byte[] original = unique("privacy.eml");
        String pbid = publishFetched(account(), "p", original, hide);
        List<ConsumerRecord<String, byte[]>> records = routedRecords(Set.of(pbid), 1);
        assertThat(records).hasSize(1);
        String expected = new String(original, StandardCharsets.ISO_8859_1)
                .replace("Delivered-To: hidden@example.com\r\n", "").replace("X-Original-To: hidden@example.com\r\n", "");
        assertThat(new String(records.get(0).value(), StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        assertThat(RoutedMail.fromHeaders(pbid, records.get(0).headers()).recipients()).extracting(RoutedRecipient::address)
                .containsExactly("hidden@example.com");
    }

    @Test
    void exports_the_catalogued_metrics_and_counts_each_decision() {
        String before = io.restassured.RestAssured.given().get(metrics).then().statusCode(200).extract().asString();
        for (String reason : List.of("routed", "guessed", "fallback_no_local_recipient", "fallback_foreign_domain", "loop",
                "ignored_foreign_domain", "duplicate")) {
            assertThat(before).contains("popbridge_router_decisions_total{reason=\"" + reason + "\"}");
        }
        for (String result : List.of("routed", "duplicate", "malformed")) {
            assertThat(before).contains("popbridge_router_messages_total{result=\"" + result + "\"}");
        }
        assertThat(before).contains("popbridge_router_recipients_per_message_count", "popbridge_router_recipients_per_message_sum",
                "popbridge_router_recipients_per_message_max", "popbridge_router_routing_duration_seconds_count",
                "popbridge_router_routing_duration_seconds_sum", "popbridge_router_routing_duration_seconds_max");

        String pbid = publishFetched(account(), "m", unique("foreign-beside-local.eml"), CATCH_ALL);
        assertThat(outcomes(Set.of(pbid), 1)).hasSize(1);
        String after = io.restassured.RestAssured.given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(value(after, "popbridge_router_decisions_total{reason=\"ignored_foreign_domain\"}"))
                .isEqualTo(value(before, "popbridge_router_decisions_total{reason=\"ignored_foreign_domain\"}") + 1);
        assertThat(value(after, "popbridge_router_recipients_per_message_sum"))
                .isGreaterThanOrEqualTo(value(before, "popbridge_router_recipients_per_message_sum") + 1);
    }

    @Test
    void a_database_outage_delays_routing_but_loses_nothing() {
        org.junit.jupiter.api.Assumptions.assumeFalse(io.popbridge.testsupport.SharedPostgres.isExternal());
        io.popbridge.testsupport.SharedPostgres.stop();
        String pbid;
        try {
            pbid = publishFetched(account(), "outage", unique("isp-copy-bob.eml"), CATCH_ALL);
            assertThat(SharedKafka.await(outcomes, 1, r -> r.key().equals(pbid), Duration.ofSeconds(4)))
                    .as("nothing is published without the ledger").isEmpty();
        } finally {
            io.popbridge.testsupport.SharedPostgres.start();
        }
        assertThat(outcomes(Set.of(pbid), 1)).extracting(OutcomeEvent::type).containsExactly(OutcomeType.ROUTED);
        assertThat(routedRecords(Set.of(pbid), 1)).hasSize(1);
    }

    private static double value(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + series));
    }

    private List<OutcomeEvent> outcomes(Set<String> keys, int count) {
        return await(outcomes, keys, count).stream().map(r -> OutcomeEvent.fromJson(r.value())).toList();
    }

    private List<ConsumerRecord<String, byte[]>> routedRecords(Set<String> keys, int count) {
        return await(routed, keys, count);
    }

    /** Waits for {@code count} records; waits a little longer to catch records that must not come. */
    private static List<ConsumerRecord<String, byte[]>> await(KafkaConsumer<String, byte[]> consumer, Set<String> keys, int count) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>(
                SharedKafka.await(consumer, count, r -> keys.contains(r.key()), WAIT));
        seen.addAll(SharedKafka.await(consumer, 1, r -> keys.contains(r.key()), Duration.ofMillis(500)));
        return seen;
    }

    private static OutcomeEvent find(List<OutcomeEvent> events, String pbid) {
        return events.stream().filter(e -> e.pbid().equals(pbid)).findFirst().orElseThrow(() -> new AssertionError("no outcome for " + pbid));
    }

    private static List<String> headers(ConsumerRecord<String, byte[]> record) {
        List<String> out = new ArrayList<>();
        for (Header h : record.headers()) {
            out.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

}
