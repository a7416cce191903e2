package io.popbridge.fetcher.message;

import static io.popbridge.fetcher.FetcherTestSupport.account;
import static io.popbridge.fetcher.FetcherTestSupport.create;
import static io.popbridge.fetcher.FetcherTestSupport.poll;
import static io.popbridge.fetcher.FetcherTestSupport.unique;
import static io.popbridge.fetcher.FetcherTestSupport.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.contract.Pbid;
import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutedRecipient;
import io.popbridge.contract.Topics;
import io.popbridge.fetcher.AdminSmtpTestResource;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.SharedKafka;
import io.popbridge.testsupport.pop3.ScriptedPop3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
class OutcomeTraceTest {
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void open() {
        producer = SharedKafka.producer();
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    private static void send(OutcomeEvent event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.OUTCOMES, event.pbid(), event.toJson())).get();
    }

    private static OutcomeEvent routed(String pbid, String account, String uidl, String... recipients) {
        List<RoutedRecipient> decisions = new java.util.ArrayList<>();
        for (String r : recipients) {
            decisions.add(new RoutedRecipient(r, r, "account", RouteReason.ROUTED));
        }
        decisions.add(new RoutedRecipient("eve@foreign.example", null, "To", RouteReason.IGNORED_FOREIGN_DOMAIN));
        return new OutcomeEvent(pbid, OutcomeType.ROUTED, account, uidl, null, decisions, null, null, null, Instant.now(),
                "router", "<m-" + uidl + "@isp.example>", "sender@isp.example", "Subject " + uidl);
    }

    private static OutcomeEvent delivery(String pbid, String account, OutcomeType type, String recipient, String reply) {
        return new OutcomeEvent(pbid, type, account, null, recipient, null, null, reply, 1, Instant.now(), "delivery",
                null, null, null);
    }

    private static JsonPath message(String pbid) {
        return given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/messages/" + pbid)
                .then().statusCode(200).extract().jsonPath();
    }

    private static void awaitStatus(String pbid, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/messages/" + pbid)
                        .then().extract().path("message.status"), status::equals);
    }

    @Test
    void delete_after_delivery_deletes_only_messages_whose_every_outcome_is_final() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("d1", "Subject: one\r\n\r\nbody\r\n".getBytes()).add("d2", "Subject: two\r\n\r\nbody\r\n".getBytes());
            String id = create(account(unique("after-delivery"), server.port(), "NONE", "secret", "DELETE_AFTER_DELIVERY", null));
            JsonPath first = poll(id);
            assertThat(first.getInt("messagesFetched")).isEqualTo(2);
            assertThat(first.getInt("messagesDeleted")).isZero();
            String p1 = Pbid.of(id, "d1");
            String p2 = Pbid.of(id, "d2");
            assertThat(message(p1).getString("message.status")).isEqualTo("FETCHED");

            send(routed(p1, id, "d1", "alice@example.com", "bob@example.com"));
            send(delivery(p1, id, OutcomeType.DELIVERED, "alice@example.com", "250 2.0.0 queued as A1"));
            send(routed(p2, id, "d2", "alice@example.com"));
            send(delivery(p2, id, OutcomeType.DEFERRED, "alice@example.com", "451 4.3.0 try later"));
            awaitStatus(p2, "DEFERRED");
            awaitStatus(p1, "ROUTED"); // bob has no outcome yet
            assertThat(poll(id).getInt("messagesDeleted")).isZero();
            assertThat(server.messages()).containsOnlyKeys("d1", "d2");

            send(delivery(p1, id, OutcomeType.FALLBACK, "bob@example.com", "550 5.1.1 user unknown"));
            awaitStatus(p1, "FINAL");
            JsonPath third = poll(id);
            assertThat(third.getInt("messagesDeleted")).isEqualTo(1);
            assertThat(server.messages()).containsOnlyKeys("d2");

            JsonPath trace = message(p1);
            assertThat(trace.getString("message.status")).isEqualTo("DELETED");
            assertThat(trace.getString("message.subject")).isEqualTo("Subject d1");
            assertThat(trace.getString("message.messageId")).isEqualTo("<m-d1@isp.example>");
            assertThat(trace.getList("trace.type", String.class))
                    .containsExactly("FETCHED", "ROUTED", "DELIVERED", "FALLBACK", "DELETED");
            assertThat(trace.getString("trace[2].smtpReply")).isEqualTo("250 2.0.0 queued as A1");
            assertThat(trace.getString("trace[3].smtpReply")).isEqualTo("550 5.1.1 user unknown");
            assertThat(trace.getString("trace[0].at")).isNotNull();

            List<String> deferred = given().auth().preemptive().basic("viewer", "viewer")
                    .queryParam("account", id).queryParam("status", "DEFERRED").get("/api/v1/messages")
                    .then().statusCode(200).extract().jsonPath().getList("pbid", String.class);
            assertThat(deferred).containsExactly(p2);
            JsonPath status = given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/accounts/" + id + "/status")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(status.getInt("messagesWaiting")).isEqualTo(1);
            assertThat(status.getString("oldestWaitingAt")).isNotNull();
        }
    }

    @Test
    void a_duplicate_is_final_and_an_outcome_that_arrives_before_the_ledger_write_still_counts() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("dup", "Subject: dup\r\n\r\nbody\r\n".getBytes());
            String id = create(account(unique("duplicate"), server.port(), "NONE", "secret", "DELETE_AFTER_DELIVERY", null));
            String pbid = Pbid.of(id, "dup");
            send(new OutcomeEvent(pbid, OutcomeType.DUPLICATE, id, "dup", null, List.of(), "every recipient had a copy",
                    null, null, Instant.now(), "router", null, null, null));
            awaitStatus(pbid, "FINAL");
            JsonPath result = poll(id);
            assertThat(result.getInt("messagesFetched")).isEqualTo(1);
            assertThat(result.getInt("messagesDeleted")).isEqualTo(1);
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void a_malformed_outcome_event_is_skipped_without_stalling_the_partition() throws Exception {
        String account = java.util.UUID.randomUUID().toString();
        String pbid = Pbid.of(account, "after-garbage");
        // same key, same partition: the valid event behind the garbage must still be folded
        producer.send(new ProducerRecord<>(Topics.OUTCOMES, pbid, "{not json".getBytes())).get();
        send(new OutcomeEvent(pbid, OutcomeType.DUPLICATE, account, "after-garbage", null, List.of(), null, null, null,
                Instant.now(), "router", null, null, null));
        awaitStatus(pbid, "FINAL");
    }

    @Test
    void keep_days_deletes_final_messages_only_after_the_given_days() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("old", "Subject: old\r\n\r\nbody\r\n".getBytes());
            String id = create(account(unique("keep-days"), server.port(), "NONE", "secret", "KEEP_DAYS2", null));
            String pbid = Pbid.of(id, "old");
            assertThat(poll(id).getInt("messagesFetched")).isEqualTo(1);
            send(routed(pbid, id, "old", "alice@example.com"));
            send(delivery(pbid, id, OutcomeType.DELIVERED, "alice@example.com", "250 OK"));
            awaitStatus(pbid, "FINAL");
            assertThat(poll(id).getInt("messagesDeleted")).isZero();
            update("update ledger set fetched_at = now() - interval '3 days' where account_id = ?::uuid", java.util.UUID.fromString(id));
            assertThat(poll(id).getInt("messagesDeleted")).isEqualTo(1);
            assertThat(server.messages()).isEmpty();
        }
    }
}
