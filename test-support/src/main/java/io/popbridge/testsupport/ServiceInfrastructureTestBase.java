package io.popbridge.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every service must prove against the real broker and database: readiness reflects both, metrics and
 * OpenAPI are served, Flyway created the schema, the API demands credentials, and readiness turns DOWN when
 * PostgreSQL stops (and UP again when it returns). Subclass it with {@code @QuarkusTest}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ServiceInfrastructureTestBase {

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource("/q/openapi")
    URL openapi;

    @TestHTTPResource("/")
    URL api;

    /** The service's database schema, e.g. {@code fetcher}. */
    protected abstract String schema();

    /** An API collection path the service serves, e.g. {@code /api/v1/accounts}. */
    protected abstract String apiPath();

    /** A metric name (Prometheus form) the service exports from its start, e.g. {@code popbridge_fetcher_polls_total}. */
    protected abstract String serviceMetric();

    @Test
    @Order(1)
    void readiness_is_up_with_database_and_kafka_checks() {
        JsonPath health = given().get(readiness).then().statusCode(200).extract().jsonPath();
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getList("checks.name", String.class))
                .anySatisfy(name -> assertThat(name).containsIgnoringCase("database"))
                .anySatisfy(name -> assertThat(name).containsIgnoringCase("kafka"));
    }

    @Test
    @Order(2)
    void metrics_are_exported_for_prometheus() {
        given().get(metrics).then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString(serviceMetric()));
    }

    @Test
    @Order(3)
    void openapi_describes_the_api() {
        given().queryParam("format", "json").get(openapi).then().statusCode(200)
                .body(containsString("\"" + apiPath()));
    }

    @Test
    @Order(4)
    void api_requires_credentials() {
        given().baseUri(api.toString()).get(apiPath()).then().statusCode(401);
        given().baseUri(api.toString()).auth().preemptive().basic("admin", "wrong").get(apiPath()).then().statusCode(401);
        given().baseUri(api.toString()).auth().preemptive().basic("viewer", "viewer").get(apiPath()).then().statusCode(200);
    }

    @Test
    @Order(5)
    void flyway_created_the_service_schema() throws SQLException {
        try (Connection db = DriverManager.getConnection(SharedPostgres.jdbcUrl(), SharedPostgres.username(), SharedPostgres.password());
             Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select count(*) from " + schema() + ".flyway_schema_history where success")) {
            rs.next();
            assertThat(rs.getInt(1)).as("applied migrations in schema " + schema()).isPositive();
        }
    }

    @Test
    @Order(100)
    void readiness_turns_down_when_the_database_stops_and_recovers_when_it_returns() {
        Assumptions.assumeFalse(SharedPostgres.isExternal(), "an external database is not ours to stop");
        SharedPostgres.stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonPath health = given().get(readiness).then().statusCode(503).extract().jsonPath();
                assertThat(health.getString("checks.find { it.name.toLowerCase().contains('database') }.status")).isEqualTo("DOWN");
            });
        } finally {
            SharedPostgres.start();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().get(readiness).then().statusCode(200));
    }
}
