package io.popbridge.router;

import static io.restassured.RestAssured.given;

import io.popbridge.contract.FetchedMail;
import io.popbridge.contract.Pbid;
import io.popbridge.contract.RoutingSettings;
import io.popbridge.contract.Topics;
import io.popbridge.testsupport.SharedKafka;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/** Test set-up through the real API and the real broker. */
public final class Fixtures {
    private static KafkaProducer<String, byte[]> producer;

    private Fixtures() {
    }

    /** Accepted domains every test relies on (created once; 409 on later calls is fine). */
    public static void acceptedDomains() {
        // example.com first: example.net's fallback lives there
        for (Map.Entry<String, String> d : List.of(Map.entry("example.com", "postmaster@example.com"),
                Map.entry("example.net", "postmaster@example.com"))) {
            given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON)
                    .body(Map.of("name", d.getKey(), "fallback", d.getValue()))
                    .post("/api/v1/domains").then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
        }
    }

    public static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = SharedKafka.producer();
        }
        return producer;
    }

    /** A fetched record as the fetcher publishes it; returns its pbid. */
    public static String publishFetched(String accountId, String uidl, byte[] message, RoutingSettings routing) {
        String pbid = Pbid.of(accountId, uidl);
        FetchedMail meta = new FetchedMail(pbid, accountId, "test account", uidl, Instant.parse("2026-11-21T10:00:00Z"),
                message.length, "pop.isp.test:995", routing);
        return send(pbid, message, meta.toHeaders());
    }

    public static String send(String key, byte[] value, Headers headers) {
        try {
            producer().send(new ProducerRecord<>(Topics.FETCHED, null, key, value, headers)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return key;
    }

    /** The fixture with its Message-ID made unique, so tests sharing a fixture do not meet in the duplicate ledger. */
    public static byte[] unique(String eml) {
        String text = new String(Eml.load(eml), StandardCharsets.ISO_8859_1);
        return text.replaceFirst("Message-ID: <", "Message-ID: <" + UUID.randomUUID() + ".")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String account() {
        return UUID.randomUUID().toString();
    }
}
