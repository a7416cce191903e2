package io.popbridge.router.preview;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.popbridge.contract.RoutingSettings;
import io.popbridge.contract.Topics;
import io.popbridge.router.Eml;
import io.popbridge.router.Fixtures;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.SharedKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class RoutePreviewResourceTest {

    @Test
    void a_domain_accepted_through_the_api_counts_for_the_very_next_message() {
        Fixtures.acceptedDomains();
        String domain = "fresh-" + System.nanoTime() + ".example";
        String message = "Delivered-To: ann@" + domain + "\r\nMessage-ID: <fresh@x>\r\nSubject: s\r\n\r\nhi\r\n";
        Map<String, Object> body = Map.of("message", message,
                "routing", RoutingSettings.catchAll(List.of("example.com", domain), List.of("Delivered-To"), false));
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON).body(body)
                .post("/api/v1/route-preview").then().statusCode(200)
                .body("recipients[0].reason", equalTo("FALLBACK_FOREIGN_DOMAIN"));
        given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON)
                .body(Map.of("name", domain, "fallback", "postmaster@example.com"))
                .post("/api/v1/domains").then().statusCode(201);
        // well inside router.context-ttl: only the invalidation on the API write makes the new domain visible
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON).body(body)
                .post("/api/v1/route-preview").then().statusCode(200)
                .body("recipients[0].reason", equalTo("ROUTED"));
    }

    @Test
    void explains_each_recipient_with_reason_and_source_and_publishes_nothing() {
        Fixtures.acceptedDomains();
        String message = new String(Eml.load("to-cc-fallback.eml"), StandardCharsets.UTF_8);
        try (KafkaConsumer<String, byte[]> routed = SharedKafka.consumerAtEnd(Topics.ROUTED);
             KafkaConsumer<String, byte[]> outcomes = SharedKafka.consumerAtEnd(Topics.OUTCOMES)) {
            given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON)
                    .body(Map.of("message", message,
                            "routing", RoutingSettings.catchAll(List.of("example.com"), List.of(), true)))
                    .post("/api/v1/route-preview").then().statusCode(200)
                    .body("summary", containsString("Delivered to John.Doe@example.com"))
                    .body("envelopeFrom", equalTo("sender@partner.org"))
                    .body("fallback", equalTo("postmaster@example.com"))
                    .body("subject", equalTo("Grüße"))
                    .body("recipients.address", contains("John.Doe@example.com", "pete@example.com", "kim@example.com",
                            "\"quoted local\"@example.com", "aake@example.com", "joerg@foreign.org"))
                    .body("recipients.reason", contains("GUESSED", "GUESSED", "GUESSED", "GUESSED", "GUESSED", "IGNORED_FOREIGN_DOMAIN"))
                    .body("recipients.source", contains("To", "To", "To", "To", "Cc", "Cc"))
                    .body("recipients[5].delivered", equalTo(false))
                    .body("recipients[5].explanation", containsString("foreign.org is not an accepted domain"))
                    .body("notes", hasItem(containsString("guessing from To/Cc/Resent-To/Resent-Cc")));
            SharedKafka.await(routed, 1, r -> true, Duration.ofSeconds(2)).forEach(r -> {
                throw new AssertionError("route-preview published a routed record");
            });
            SharedKafka.await(outcomes, 1, r -> true, Duration.ofMillis(200)).forEach(r -> {
                throw new AssertionError("route-preview published an outcome");
            });
        }
    }

    /** The example in router-service/README.md. */
    @Test
    void the_documented_example_answers_as_documented() {
        Fixtures.acceptedDomains();
        String message = "Return-Path: <sender@partner.org>\r\nDelivered-To: alice@example.com\r\n"
                + "Delivered-To: list@lists.partner.org\r\nFrom: Sender <sender@partner.org>\r\n"
                + "To: \"Doe, John\" <john@example.com>, stranger@foreign.org\r\nMessage-ID: <m1@partner.org>\r\n"
                + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n\r\nHello\r\n";
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON)
                .body(Map.of("message", message, "routing", Map.of("mode", "CATCH_ALL", "domains", List.of("example.com"),
                        "envelopeSources", List.of(), "headerFallback", true, "hideEnvelopeHeaders", false)))
                .post("/api/v1/route-preview").then().statusCode(200)
                .body("summary", equalTo("Delivered to alice@example.com (1 ROUTED)."))
                .body("subject", equalTo("Grüße"))
                .body("recipients.address", contains("alice@example.com"))
                .body("recipients[0].explanation", equalTo("found in Delivered-To; example.com is an accepted domain"))
                .body("notes", contains("duplicate copies are not checked in a preview: the ledger depends on copies routed before"));
    }

    @Test
    void a_loop_and_a_missing_routing_are_answered_clearly() {
        Fixtures.acceptedDomains();
        String loop = new String(Eml.load("loop-own-marker.eml"), StandardCharsets.UTF_8);
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON)
                .body(Map.of("message", loop, "routing", RoutingSettings.catchAll(List.of("example.com"), List.of(), false)))
                .post("/api/v1/route-preview").then().statusCode(200)
                .body("recipients.reason", contains("LOOP"))
                .body("recipients[0].address", equalTo("postmaster@example.com"))
                .body("notes", hasItem(containsString("X-Popbridge-Loop")));
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON)
                .body(Map.of("message", loop)).post("/api/v1/route-preview").then().statusCode(400)
                .body("field", equalTo("routing"));
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON)
                .body(Map.of("message", loop, "routing", Map.of("mode", "SOMETIMES"))).post("/api/v1/route-preview")
                .then().statusCode(400);
    }
}
