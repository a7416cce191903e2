package io.popbridge.delivery.submission;

import static io.popbridge.delivery.DeliveryTestKit.awaitOutcome;
import static io.popbridge.delivery.DeliveryTestKit.createTarget;
import static io.popbridge.delivery.DeliveryTestKit.outcomes;
import static io.popbridge.delivery.DeliveryTestKit.pbid;
import static io.popbridge.delivery.DeliveryTestKit.publish;
import static io.popbridge.delivery.DeliveryTestKit.routed;
import static io.popbridge.delivery.DeliveryTestKit.to;
import static io.popbridge.delivery.DeliveryTestKit.uniqueDomain;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.contract.Pbid;
import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutedMail;
import io.popbridge.contract.RoutedRecipient;
import io.popbridge.contract.TraceHeaders;
import io.popbridge.delivery.DeliveryTestKit;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.smtp.ScriptedSmtpServer;
import io.popbridge.testsupport.smtp.ScriptedSmtpServer.Step;
import io.popbridge.testsupport.smtp.ScriptedSmtpServer.Transaction;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class DeliveryFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    MockMailbox mailbox;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private ScriptedSmtpServer server;
    private KafkaConsumer<String, byte[]> outcomes;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (outcomes != null) {
            outcomes.close();
        }
    }

    private String target(ScriptedSmtpServer s, String domain) {
        return createTarget(s.host(), s.port(), "NONE", List.of(domain), Map.of());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What the server must have stored: our prefix, then the original with CRLF normalisation only. */
    private static String expectedTail(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new io.popbridge.delivery.smtp.SmtpBody(new byte[0], raw).write(out, false);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void delivers_byte_exact_with_trace_headers_and_a_message_id_only_when_missing() throws Exception {
        server = ScriptedSmtpServer.builder().pipelining().start();
        String domain = uniqueDomain();
        target(server, domain);
        outcomes = outcomes();
        List<byte[]> messages = List.of(
                bytes("Message-ID: <orig@isp.test>\nSubject: bare lf\n\n.\nlone dot above\n..two\n"),
                bytes("Subject: no id, 8bit caf\u00e9\r\n\r\nNUL\u0000here\r\n" + "y".repeat(5000) + "\r\nno final crlf"),
                bytes("Subject: smuggling\r\n\r\nhi\n.\r\nMAIL FROM:<evil@x.test>\r\nRCPT TO:<v@x.test>\r\nDATA\r\nx\r\n.\r\nend\r.\r\n"));
        for (int i = 0; i < messages.size(); i++) {
            String pbid = pbid();
            publish(routed(pbid, "sender@isp.test", "", List.of(to("user" + i + "@" + domain))), messages.get(i));
            List<OutcomeEvent> seen = awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, WAIT);
            assertThat(seen).extracting(OutcomeEvent::type).containsExactly(OutcomeType.DELIVERED);
            OutcomeEvent delivered = seen.get(0);
            assertThat(delivered.recipient()).isEqualTo("user" + i + "@" + domain);
            assertThat(delivered.smtpReply()).startsWith("250");
            assertThat(delivered.service()).isEqualTo("delivery");

            Transaction t = server.transactions().get(i);
            assertThat(t.mailFrom()).isEqualTo(i == 1 ? "<sender@isp.test> BODY=8BITMIME" : "<sender@isp.test>");
            assertThat(t.rcptTo()).containsExactly("<user" + i + "@" + domain + ">");
            String stored = t.contentAsString();
            assertThat(stored).startsWith("Received: from pop.isp.test (POP3 pop.isp.test:995 account Test account id acct-test)\r\n"
                    + "\tby popbridge (test-install) with POP3 id " + pbid + ";\r\n\t");
            assertThat(stored).contains("\r\n" + TraceHeaders.LOOP_MARKER + ": " + TraceHeaders.loopMarkerValue("test-install", pbid) + "\r\n");
            String synthetic = "Message-ID: " + Pbid.syntheticMessageId(pbid) + "\r\n";
            assertThat(stored.contains(synthetic)).isEqualTo(i != 0);
            assertThat(stored).endsWith(expectedTail(messages.get(i)));
            int prefixLines = i == 0 ? 4 : 5;
            assertThat(stored.split("\r\n", -1).length - expectedTail(messages.get(i)).split("\r\n", -1).length).isEqualTo(prefixLines);
        }
        assertThat(server.transactions()).hasSize(3);
        assertThat(server.commands()).noneMatch(c -> c.contains("evil"));
        assertThat(server.connections()).as("connection reuse").isEqualTo(1);
    }

    @Test
    void groups_recipients_of_a_target_into_one_transaction_and_sends_the_null_sender_as_empty_path() {
        server = ScriptedSmtpServer.builder().pipelining().chunking().start();
        String domain = uniqueDomain();
        target(server, domain);
        outcomes = outcomes();
        String pbid = pbid();
        publish(routed(pbid, "", "", List.of(to("a@" + domain), to("b@" + domain))), bytes("Subject: two\r\n\r\nx\r\n"));
        List<OutcomeEvent> seen = DeliveryTestKit.awaitOutcomes(outcomes, pbid, OutcomeType.DELIVERED, 2, WAIT);
        assertThat(seen).extracting(OutcomeEvent::recipient).containsExactlyInAnyOrder("a@" + domain, "b@" + domain);
        assertThat(server.transactions()).singleElement().satisfies(t -> {
            assertThat(t.mailFrom()).isEqualTo("<>");
            assertThat(t.rcptTo()).containsExactly("<a@" + domain + ">", "<b@" + domain + ">");
            assertThat(t.bdat()).isTrue();
        });
    }

    @Test
    void temporary_failures_are_deferred_with_backoff_then_delivered() {
        server = ScriptedSmtpServer.builder().script(Step.RCPT, "451 4.3.0 try later", "451 4.3.0 try later").start();
        String domain = uniqueDomain();
        target(server, domain);
        outcomes = outcomes();
        String pbid = pbid();
        publish(routed(pbid, "s@isp.test", "postmaster@" + domain, List.of(to("u@" + domain))), bytes("Subject: 4xx\r\n\r\nb\r\n"));
        List<OutcomeEvent> seen = awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, WAIT);
        assertThat(seen).extracting(OutcomeEvent::type)
                .containsExactly(OutcomeType.DEFERRED, OutcomeType.DEFERRED, OutcomeType.DELIVERED);
        assertThat(seen.get(0).smtpReply()).startsWith("451");
        assertThat(seen).extracting(OutcomeEvent::attempt).containsExactly(1, 2, 3);
        assertThat(server.transactions()).hasSize(1);
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/deliveries?state=DEFERRED").then().statusCode(200)
                .extract().jsonPath().getList("pbid", String.class).stream().noneMatch(pbid::equals);
    }

    @Test
    void a_permanent_failure_goes_to_the_fallback_mailbox_with_the_reason() {
        server = ScriptedSmtpServer.builder().script(Step.RCPT, "550 5.1.1 <gone> user unknown").start();
        String domain = uniqueDomain();
        target(server, domain);
        outcomes = outcomes();
        String pbid = pbid();
        publish(routed(pbid, "s@isp.test", "postmaster@" + domain, List.of(to("gone@" + domain))), bytes("Subject: 5xx\r\n\r\nb\r\n"));
        List<OutcomeEvent> seen = awaitOutcome(outcomes, pbid, OutcomeType.FALLBACK, WAIT);
        assertThat(seen).extracting(OutcomeEvent::type).containsExactly(OutcomeType.FALLBACK);
        assertThat(seen.get(0).recipient()).isEqualTo("gone@" + domain);
        assertThat(seen.get(0).reason()).contains("550 5.1.1");
        Transaction t = server.transactions().get(0);
        assertThat(t.rcptTo()).containsExactly("<postmaster@" + domain + ">");
        assertThat(t.contentAsString())
                .contains("\r\nX-Popbridge-Fallback-Reason: permanent failure for gone@" + domain + ": 550 5.1.1 <gone> user unknown\r\n")
                .contains("\r\nX-Popbridge-Original-Recipient: gone@" + domain + "\r\n")
                .endsWith("Subject: 5xx\r\n\r\nb\r\n");
    }

    @Test
    void a_fallback_that_refuses_the_content_gets_a_notice_with_the_original_attached() {
        server = ScriptedSmtpServer.builder().script(Step.RCPT, "550 5.1.1 unknown")
                .script(Step.DOT, "554 5.4.6 Too many hops").start();
        String domain = uniqueDomain();
        target(server, domain);
        outcomes = outcomes();
        String pbid = pbid();
        String original = "Subject: looping\r\nReceived: x\r\n\r\nbody\r\n";
        publish(routed(pbid, "s@isp.test", "postmaster@" + domain, List.of(to("gone@" + domain))), bytes(original));
        List<OutcomeEvent> seen = awaitOutcome(outcomes, pbid, OutcomeType.FALLBACK, WAIT);
        assertThat(seen).extracting(OutcomeEvent::type).containsExactly(OutcomeType.FALLBACK);
        List<Transaction> got = server.transactions();
        assertThat(got).hasSize(2);
        assertThat(got.get(0).reply()).startsWith("554");
        String notice = got.get(1).contentAsString();
        assertThat(got.get(1).rcptTo()).containsExactly("<postmaster@" + domain + ">");
        assertThat(notice).contains("X-Popbridge-Loop: ", "\r\nContent-Type: multipart/mixed; boundary=\"=_popbridge_" + pbid + "\"\r\n",
                        "554 5.4.6 Too many hops", "\r\nContent-Type: message/rfc822\r\n")
                .endsWith("\r\n\r\n" + original + "\r\n--=_popbridge_" + pbid + "--\r\n");
        assertThat(notice.split("Message-ID:", -1)).hasSize(2);
    }

    @Test
    void a_failing_fallback_parks_the_message_visible_in_the_api_with_metric_and_admin_mail() {
        server = ScriptedSmtpServer.builder().script(Step.RCPT, "550 5.1.1 unknown", "550 5.1.1 fallback unknown too").start();
        String domain = uniqueDomain();
        target(server, domain);
        outcomes = outcomes();
        mailbox.clear();
        String pbid = pbid();
        publish(routed(pbid, "s@isp.test", "postmaster@" + domain, List.of(to("gone@" + domain))), bytes("Subject: park\r\n\r\nb\r\n"));
        List<OutcomeEvent> seen = awaitOutcome(outcomes, pbid, OutcomeType.PARKED, WAIT);
        assertThat(seen).extracting(OutcomeEvent::type).containsExactly(OutcomeType.PARKED);
        assertThat(seen.get(0).reason()).contains("fallback mailbox refused");
        assertThat(server.transactions()).isEmpty();

        JsonPath parked = given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/deliveries?state=PARKED")
                .then().statusCode(200).extract().jsonPath();
        assertThat(parked.getList("findAll { it.pbid == '" + pbid + "' }.recipient", String.class)).containsExactly("gone@" + domain);
        assertThat(mailbox.getMailsSentTo("admin@popbridge.test"))
                .anySatisfy(m -> assertThat(m.getSubject()).contains(pbid));
        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape).contains("popbridge_delivery_results_total{result=\"parked\"}");
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(given().get(metrics).asString())
                .containsPattern("(?m)^popbridge_delivery_parked [1-9]"));

        // once the cause is fixed an admin retries it: the original recipient is tried again
        String id = parked.getString("find { it.pbid == '" + pbid + "' }.id");
        given().auth().preemptive().basic("admin", "admin").post("/api/v1/deliveries/" + id + "/retry").then().statusCode(200);
        assertThat(awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, WAIT)).extracting(OutcomeEvent::type).contains(OutcomeType.DELIVERED);
        assertThat(server.transactions()).singleElement().satisfies(t -> assertThat(t.rcptTo()).containsExactly("<gone@" + domain + ">"));
    }

    @Test
    void a_connection_dropped_after_the_final_dot_is_ambiguous_and_resent_once_with_identical_bytes() {
        server = ScriptedSmtpServer.builder().script(Step.DOT, ScriptedSmtpServer.DROP).start();
        String domain = uniqueDomain();
        target(server, domain);
        outcomes = outcomes();
        String pbid = pbid();
        publish(routed(pbid, "s@isp.test", "", List.of(to("u@" + domain))), bytes("Subject: ambiguous\r\n\r\nb\r\n"));
        List<OutcomeEvent> seen = awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, WAIT);
        assertThat(seen).extracting(OutcomeEvent::type).containsExactly(OutcomeType.DEFERRED, OutcomeType.DELIVERED);
        assertThat(seen.get(0).reason()).isEqualTo("AMBIGUOUS");
        List<Transaction> got = server.transactions();
        assertThat(got).hasSize(2);
        assertThat(got.get(1).content()).isEqualTo(got.get(0).content());
        assertThat(got.get(0).contentAsString()).contains("Message-ID: " + Pbid.syntheticMessageId(pbid));
    }

    @Test
    void the_same_routed_record_consumed_twice_is_delivered_once() {
        server = ScriptedSmtpServer.builder().start();
        String domain = uniqueDomain();
        target(server, domain);
        outcomes = outcomes();
        String pbid = pbid();
        RoutedMail mail = routed(pbid, "s@isp.test", "", List.of(to("u@" + domain)));
        publish(mail, bytes("Subject: twice\r\n\r\nb\r\n"));
        assertThat(awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, WAIT)).isNotEmpty();
        publish(mail, bytes("Subject: twice\r\n\r\nb\r\n"));
        List<OutcomeEvent> again = awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, WAIT);
        assertThat(again).as("the outcome is published again, from the ledger").extracting(OutcomeEvent::type)
                .containsExactly(OutcomeType.DELIVERED);
        assertThat(server.transactions()).hasSize(1);
    }

    @Test
    void a_target_that_is_down_for_a_while_gets_the_mail_after_it_returns() throws Exception {
        server = ScriptedSmtpServer.builder().start();
        String domain = uniqueDomain();
        target(server, domain);
        server.stop();
        outcomes = outcomes();
        String pbid = pbid();
        publish(routed(pbid, "s@isp.test", "postmaster@" + domain, List.of(to("u@" + domain))), bytes("Subject: down\r\n\r\nb\r\n"));
        assertThat(awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, Duration.ofSeconds(4)))
                .as("nothing is decided while the target is down: no fallback, no parking").isEmpty();
        server.start();
        List<OutcomeEvent> seen = awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, WAIT);
        assertThat(seen).extracting(OutcomeEvent::type).containsExactly(OutcomeType.DELIVERED);
        assertThat(server.transactions()).hasSize(1);
    }

    @Test
    void a_target_that_is_down_holds_back_only_its_own_mail() {
        server = ScriptedSmtpServer.builder().start();
        try (ScriptedSmtpServer down = ScriptedSmtpServer.builder().start()) {
            String upDomain = uniqueDomain();
            String downDomain = uniqueDomain();
            target(server, upDomain);
            target(down, downDomain);
            down.stop();
            outcomes = outcomes();
            String held = pbid();
            publish(routed(held, "s@isp.test", "", List.of(to("u@" + downDomain))), bytes("Subject: held\r\n\r\nb\r\n"));
            for (int i = 0; i < 30; i++) {
                publish(routed(pbid(), "s@isp.test", "", List.of(to("u" + i + "@" + upDomain))), bytes("Subject: goes\r\n\r\nb\r\n"));
            }
            org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(server.transactions()).hasSize(30));

            down.start();
            assertThat(awaitOutcome(outcomes, held, OutcomeType.DELIVERED, WAIT)).extracting(OutcomeEvent::type)
                    .containsExactly(OutcomeType.DELIVERED);
            assertThat(down.transactions()).hasSize(1);
        }
    }

    @Test
    void a_421_greeting_fails_over_to_the_next_target_by_priority() {
        server = ScriptedSmtpServer.builder().script(Step.GREETING, "421 4.3.2 busy", "421 4.3.2 busy", "421 4.3.2 busy").start();
        try (ScriptedSmtpServer backup = ScriptedSmtpServer.builder().start()) {
            String domain = uniqueDomain();
            createTarget(server.host(), server.port(), "NONE", List.of(domain), Map.of("priority", 1));
            createTarget(backup.host(), backup.port(), "NONE", List.of(domain), Map.of("priority", 20));
            outcomes = outcomes();
            String pbid = pbid();
            publish(routed(pbid, "s@isp.test", "", List.of(to("u@" + domain))), bytes("Subject: failover\r\n\r\nb\r\n"));
            assertThat(awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, WAIT)).extracting(OutcomeEvent::type)
                    .containsExactly(OutcomeType.DELIVERED);
            assertThat(backup.transactions()).hasSize(1);
            assertThat(server.transactions()).isEmpty();
        }
    }

    @Test
    void router_fallback_recipients_carry_the_reason_headers() {
        server = ScriptedSmtpServer.builder().start();
        String domain = uniqueDomain();
        target(server, domain);
        outcomes = outcomes();
        String pbid = pbid();
        RoutedRecipient foreign = new RoutedRecipient("postmaster@" + domain, "someone@foreign.test", "Delivered-To",
                RouteReason.FALLBACK_FOREIGN_DOMAIN);
        publish(routed(pbid, "s@isp.test", "postmaster@" + domain, List.of(foreign)), bytes("Subject: foreign\r\n\r\nb\r\n"));
        assertThat(awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, WAIT)).extracting(OutcomeEvent::recipient)
                .containsExactly("postmaster@" + domain);
        assertThat(server.transactions().get(0).contentAsString())
                .contains("X-Popbridge-Fallback-Reason: router: FALLBACK_FOREIGN_DOMAIN\r\n")
                .contains("X-Popbridge-Original-Recipient: someone@foreign.test\r\n");
    }

    @Test
    void exports_the_delivery_metrics_of_the_catalogue() {
        server = ScriptedSmtpServer.builder().start();
        String id = target(server, uniqueDomain());
        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape).contains("popbridge_delivery_results_total{result=\"delivered\"}",
                "popbridge_delivery_smtp_replies_total{class=\"2xx\"}", "popbridge_delivery_latency_seconds_bucket",
                "popbridge_delivery_latency_seconds_count", "popbridge_delivery_deferred ",
                "popbridge_delivery_deferred_oldest_age_seconds ", "popbridge_delivery_parked ",
                "popbridge_delivery_connections_open{target=\"" + id + "\"}",
                "kafka_consumer_fetch_manager_records_lag_max");
        // per-target series appear once the directory reloads (at the next delivery or test call)
        given().auth().preemptive().basic("admin", "admin").post("/api/v1/targets/" + id + "/test").then().statusCode(200);
        assertThat(given().get(metrics).asString()).contains("popbridge_delivery_target_up{target=\"" + id + "\"} 1",
                "popbridge_delivery_attempts_total{target=\"" + id + "\"}");
    }
}
