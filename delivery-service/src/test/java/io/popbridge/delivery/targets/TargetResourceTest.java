package io.popbridge.delivery.targets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.SharedPostgres;
import io.popbridge.testsupport.smtp.ScriptedSmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class TargetResourceTest {

    private static Map<String, Object> exchange(String name, String host, int port) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("host", host);
        body.put("port", port);
        body.put("security", "STARTTLS_REQUIRED");
        body.put("verifyCertificate", false);
        body.put("username", "relay");
        body.put("password", "s3cret-pw");
        body.put("authMechanism", "LOGIN");
        body.put("heloName", "popbridge.example.com");
        body.put("domains", List.of("Example.COM", "example.org"));
        body.put("priority", 10);
        body.put("maxConnections", 4);
        body.put("maxMessagesPerConnection", 100);
        return body;
    }

    private static Response post(Map<String, Object> body) {
        return given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON).body(body).post("/api/v1/targets");
    }

    private static String storedPassword(String id) throws Exception {
        try (Connection db = DriverManager.getConnection(SharedPostgres.jdbcUrl(), SharedPostgres.username(), SharedPostgres.password());
             PreparedStatement ps = db.prepareStatement("select password_enc from delivery.target where id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void creates_a_target_with_a_write_only_password_encrypted_at_rest() throws Exception {
        Response created = post(exchange("exchange-" + UUID.randomUUID(), "mail.example.com", 25));
        created.then().statusCode(201).header("Location", endsWith((String) created.path("id")));
        String id = created.path("id");
        assertThat(created.asString()).doesNotContain("s3cret-pw").doesNotContain("\"password\"");
        JsonPath view = given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/targets/" + id)
                .then().statusCode(200).extract().jsonPath();
        assertThat(view.getBoolean("passwordSet")).isTrue();
        assertThat(view.getList("domains", String.class)).containsExactly("example.com", "example.org");
        assertThat(view.getString("security")).isEqualTo("STARTTLS_REQUIRED");
        assertThat(storedPassword(id)).startsWith("v1:k1:").doesNotContain("s3cret-pw");

        // an update without a password keeps the stored one
        Map<String, Object> update = exchange(view.getString("name"), "mail2.example.com", 587);
        update.remove("password");
        given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON).body(update)
                .put("/api/v1/targets/" + id).then().statusCode(200);
        assertThat(storedPassword(id)).startsWith("v1:k1:");
        assertThat(given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/targets").asString())
                .contains("mail2.example.com").doesNotContain("s3cret-pw");

        given().auth().preemptive().basic("admin", "admin").delete("/api/v1/targets/" + id).then().statusCode(204);
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/targets/" + id).then().statusCode(404);
    }

    @Test
    void rejects_invalid_targets_and_writes_by_viewers() {
        Map<String, Object> bad = exchange("bad-" + UUID.randomUUID(), "mail.example.com", 0);
        JsonPath error = post(bad).then().statusCode(400).extract().jsonPath();
        assertThat(error.getString("field")).contains("port");
        Map<String, Object> noPassword = exchange("np-" + UUID.randomUUID(), "mail.example.com", 25);
        noPassword.remove("password");
        assertThat(post(noPassword).then().statusCode(400).extract().jsonPath().getString("field")).isEqualTo("password");
        Map<String, Object> name = exchange("dup-" + UUID.randomUUID(), "mail.example.com", 25);
        post(name).then().statusCode(201);
        post(name).then().statusCode(409);
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON).body(exchange("v", "h", 25))
                .post("/api/v1/targets").then().statusCode(403);
    }

    @Test
    void test_reports_each_step_and_the_capabilities_without_sending_mail() {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls().pipelining().chunking().auth("relay", "s3cret-pw").start()) {
            Map<String, Object> body = exchange("probe-" + UUID.randomUUID(), server.host(), server.port());
            body.put("domains", List.of());
            String id = post(body).then().statusCode(201).extract().path("id");
            JsonPath ok = given().auth().preemptive().basic("admin", "admin").post("/api/v1/targets/" + id + "/test")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(ok.getBoolean("ok")).isTrue();
            assertThat(ok.getBoolean("tls")).isTrue();
            assertThat(ok.getList("steps.step", String.class))
                    .containsExactly("greeting", "EHLO", "STARTTLS", "TLS", "EHLO (TLS)", "AUTH", "QUIT");
            assertThat(ok.getMap("capabilities")).containsKeys("PIPELINING", "CHUNKING", "AUTH");
            assertThat(server.transactions()).isEmpty();
            assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL"));

            body.put("password", "wrong-pw");
            given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON).body(body)
                    .put("/api/v1/targets/" + id).then().statusCode(200);
            Response failed = given().auth().preemptive().basic("admin", "admin").post("/api/v1/targets/" + id + "/test");
            assertThat(failed.jsonPath().getBoolean("ok")).isFalse();
            assertThat(failed.jsonPath().getString("error")).contains("535");
            assertThat(failed.asString()).doesNotContain("wrong-pw");
            given().auth().preemptive().basic("admin", "admin").delete("/api/v1/targets/" + id).then().statusCode(204);
        }
    }
}
