package io.popbridge.router.domain;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class DomainResourceTest {

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON);
    }

    @Test
    void creates_a_domain_with_its_fallback_lower_cased_and_lists_it() {
        admin().body(Map.of("name", "Alpha-Corp.EXAMPLE", "fallback", "Postmaster@alpha-corp.example"))
                .post("/api/v1/domains").then().statusCode(201)
                .header("Location", endsWith("/api/v1/domains/alpha-corp.example"))
                .body("name", equalTo("alpha-corp.example")).body("fallback", equalTo("Postmaster@alpha-corp.example"));
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/domains").then().statusCode(200)
                .body("name", hasItem("alpha-corp.example"));
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/domains/ALPHA-corp.example").then().statusCode(200);
        admin().body(Map.of("name", "alpha-corp.example", "fallback", "postmaster@alpha-corp.example"))
                .post("/api/v1/domains").then().statusCode(409);
    }

    @Test
    void a_fallback_outside_the_accepted_domains_is_refused() {
        admin().body(Map.of("name", "beta.example", "fallback", "admin@gmail.com"))
                .post("/api/v1/domains").then().statusCode(400).body("field", equalTo("fallback"));
        admin().body(Map.of("name", "beta.example", "fallback", "not an address"))
                .post("/api/v1/domains").then().statusCode(400).body("field", equalTo("fallback"));
        admin().body(Map.of("name", "bad_domain!", "fallback", "x@beta.example"))
                .post("/api/v1/domains").then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void a_fallback_may_live_in_another_accepted_domain_which_then_cannot_be_deleted() {
        admin().body(Map.of("name", "gamma.example", "fallback", "postmaster@gamma.example")).post("/api/v1/domains").then().statusCode(201);
        admin().body(Map.of("name", "delta.example", "fallback", "postmaster@gamma.example")).post("/api/v1/domains").then().statusCode(201);
        admin().delete("/api/v1/domains/gamma.example").then().statusCode(409);
        admin().delete("/api/v1/domains/delta.example").then().statusCode(204);
        admin().delete("/api/v1/domains/gamma.example").then().statusCode(204);
        admin().get("/api/v1/domains/gamma.example").then().statusCode(404);
    }

    @Test
    void only_admins_write() {
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.JSON)
                .body(Map.of("name", "eps.example", "fallback", "p@eps.example")).post("/api/v1/domains").then().statusCode(403);
    }
}
