package io.popbridge.fetcher.account;

import static io.popbridge.fetcher.FetcherTestSupport.account;
import static io.popbridge.fetcher.FetcherTestSupport.column;
import static io.popbridge.fetcher.FetcherTestSupport.create;
import static io.popbridge.fetcher.FetcherTestSupport.unique;

import io.popbridge.fetcher.FetcherTestSupport;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.popbridge.fetcher.AdminSmtpTestResource;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.pop3.ScriptedPop3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
class AccountResourceTest {
    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON);
    }

    @Test
    void creates_an_account_with_defaults_and_never_returns_or_stores_the_password_in_clear() {
        String name = unique("create");
        String body = """
                {"name":"%s","host":"pop.isp.example","port":995,"security":"TLS","username":"alice@isp.example",
                 "password":"s3cret-Pa55","routing":{"mode":"SINGLE","targets":["alice@example.com"]}}""".formatted(name);
        String location = admin().body(body).post("/api/v1/accounts").then().statusCode(201)
                .body("passwordSet", equalTo(true))
                .body(not(containsString("s3cret-Pa55")))
                .extract().header("Location");
        JsonPath view = admin().get(location).then().statusCode(200).extract().jsonPath();
        assertThat(view.getInt("pollIntervalSeconds")).isEqualTo(300);
        assertThat(view.getBoolean("verifyCertificate")).isTrue();
        assertThat(view.getBoolean("enabled")).isTrue();
        assertThat(view.getString("auth")).isEqualTo("USER_PASS");
        assertThat(view.getLong("maxMessageBytes")).isEqualTo(52428800L);
        assertThat(view.getString("retention.policy")).isEqualTo("DELETE_AFTER_DELIVERY");
        assertThat(view.getString("passwordKeyId")).isEqualTo("k1");
        assertThat(view.getMap("$")).doesNotContainKey("password");
        String id = view.getString("id");
        String stored = column("select password_secret from account where id = ?::uuid", id).get(0);
        assertThat(stored).startsWith("v1:k1:").doesNotContain("s3cret-Pa55");
        assertThat(column("select password_key_id from account where id = ?::uuid", id)).containsExactly("k1");
    }

    @Test
    void an_update_without_password_keeps_the_stored_one_and_delete_removes_the_account() {
        String name = unique("update");
        String id = create(account(name, 110, "NONE", "first", "KEEP", null));
        String before = column("select password_secret from account where id = ?::uuid", id).get(0);
        admin().body(account(name, 110, "NONE", "", "KEEP_DAYS7", "\"pollIntervalSeconds\":120")).put("/api/v1/accounts/" + id)
                .then().statusCode(200).body("pollIntervalSeconds", equalTo(120)).body("retention.days", equalTo(7));
        assertThat(column("select password_secret from account where id = ?::uuid", id)).containsExactly(before);
        admin().delete("/api/v1/accounts/" + id).then().statusCode(204);
        admin().get("/api/v1/accounts/" + id).then().statusCode(404).body("code", equalTo("not_found"));
    }

    @Test
    void a_shorter_interval_brings_the_next_poll_forward() {
        String name = unique("interval");
        String id = create(account(name, 110, "NONE", "pw", "KEEP", "\"pollIntervalSeconds\":3600,\"enabled\":false"));
        FetcherTestSupport.update("update account set next_poll_at = now() + interval '1 hour' where id = ?::uuid", id);
        admin().body(account(name, 110, "NONE", "", "KEEP", "\"pollIntervalSeconds\":60,\"enabled\":false"))
                .put("/api/v1/accounts/" + id).then().statusCode(200);
        assertThat(column("select (next_poll_at <= now() + interval '61 seconds')::text from account where id = ?::uuid", id))
                .containsExactly("true");
    }

    @Test
    void rejects_invalid_accounts_with_field_and_message() {
        admin().body(account(unique("v"), 110, "NONE", "pw", "KEEP", "\"pollIntervalSeconds\":30"))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("pollIntervalSeconds"))
                .body("message", containsString("60"));
        admin().body(account(unique("v"), 70000, "NONE", "pw", "KEEP", null))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("port"));
        admin().body(account(unique("v"), 110, "NONE", "", "KEEP", null))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("password"));
        admin().body(account(unique("v"), 110, "NONE", "pw", "KEEP", "\"security\":\"SSL3\""))
                .post("/api/v1/accounts").then().log().ifValidationFails().statusCode(400).body("field", equalTo("security"));
        admin().body(account(unique("v"), 110, "NONE", "pw", "KEEP", "\"auth\":\"XOAUTH2\""))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("oauth2"));
        admin().body(account(unique("v"), 110, "NONE", "pw", "KEEP", "\"routing\":{\"mode\":\"SINGLE\",\"targets\":[]}"))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("targets"));
        admin().body(account(unique("v"), 110, "NONE", "pw", "KEEP", "\"routing\":{\"mode\":\"SINGLE\",\"targets\":[\"a@b.example\\r\\nRCPT TO:<x@y>\"]}"))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("targets"));
        admin().body(account(unique("v"), 110, "NONE", "pw", "KEEP", "\"routing\":{\"mode\":\"CATCH_ALL\",\"domains\":[]}"))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("domains"));
        admin().body(account(unique("v"), 110, "NONE", "pw", "KEEP", "\"customCa\":\"not a certificate\""))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("customCa"));
        admin().body(account(unique("v"), 110, "NONE", "pw", "KEEP", "\"retention\":{\"policy\":\"KEEP_DAYS\"}"))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("days"));
        admin().body(account(unique("v"), 110, "NONE", "pw", "KEEP", "\"host\":\"bad host\""))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("host"));
    }

    @Test
    void a_duplicate_name_is_a_conflict_and_a_viewer_cannot_write() {
        String name = unique("dup");
        create(account(name, 110, "NONE", "pw", "KEEP", null));
        admin().body(account(name, 110, "NONE", "pw", "KEEP", null)).post("/api/v1/accounts").then().statusCode(409)
                .body("field", equalTo("name"));
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON)
                .body(account(unique("viewer"), 110, "NONE", "pw", "KEEP", null)).post("/api/v1/accounts").then().statusCode(403);
    }

    @Test
    void catch_all_routing_gets_the_default_envelope_sources() {
        String id = create(account(unique("catch-all"), 110, "NONE", "pw", "KEEP",
                "\"routing\":{\"mode\":\"CATCH_ALL\",\"domains\":[\"example.com\"],\"headerFallback\":true}"));
        admin().get("/api/v1/accounts/" + id).then().statusCode(200)
                .body("routing.envelopeSources", equalTo(java.util.List.of("Delivered-To", "X-Original-To", "Envelope-To",
                        "X-Envelope-To", "Received-for")))
                .body("routing.headerFallback", equalTo(true));
    }

    @Test
    void the_connection_test_reports_each_step_with_the_server_reply_and_stores_nothing() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("t1", "Subject: t\r\n\r\nbody\r\n".getBytes());
            String ok = create(account(unique("test-ok"), server.port(), "NONE", "secret", "DELETE_AFTER_FETCH", null));
            JsonPath result = admin().post("/api/v1/accounts/" + ok + "/test").then().statusCode(200).extract().jsonPath();
            assertThat(result.getBoolean("ok")).isTrue();
            assertThat(result.getList("steps.step", String.class)).containsExactly("connect", "login", "stat");
            assertThat(result.getString("steps[0].reply")).startsWith("+OK scripted POP3 ready");
            assertThat(result.getLong("messages")).isEqualTo(1);
            assertThat(result.getList("capabilities", String.class)).contains("UIDL", "PIPELINING");
            assertThat(server.commands()).noneMatch(c -> c.startsWith("RETR") || c.startsWith("DELE"));
            assertThat(column("select count(*) from poll where account_id = ?::uuid", ok)).containsExactly("0");

            String bad = create(account(unique("test-bad"), server.port(), "NONE", "wrong", "KEEP", null));
            JsonPath failed = admin().post("/api/v1/accounts/" + bad + "/test").then().statusCode(200).extract().jsonPath();
            assertThat(failed.getBoolean("ok")).isFalse();
            assertThat(failed.getString("steps[1].step")).isEqualTo("login");
            assertThat(failed.getBoolean("steps[1].ok")).isFalse();
            assertThat(failed.getString("steps[1].reply")).isEqualTo("-ERR [AUTH] invalid credentials");
            assertThat(failed.prettify()).doesNotContain("wrong");
        }
    }

    @Test
    void supports_apop_and_sasl_plain_logins() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("a1", "Subject: a\r\n\r\nbody\r\n".getBytes());
            for (String auth : new String[] {"APOP", "SASL_PLAIN"}) {
                String id = create(account(unique(auth), server.port(), "NONE", "secret", "KEEP", "\"auth\":\"" + auth + "\""));
                admin().post("/api/v1/accounts/" + id + "/poll").then().statusCode(200).body("outcome", equalTo("OK"));
            }
            assertThat(server.commands()).anyMatch(c -> c.startsWith("APOP user ")).anyMatch(c -> c.startsWith("AUTH PLAIN "));
        }
    }
}
