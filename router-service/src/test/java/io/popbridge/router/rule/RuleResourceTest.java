package io.popbridge.router.rule;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class RuleResourceTest {

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON);
    }

    static String create(String type, String pattern, List<String> targets, int position) {
        return admin().body(Map.of("type", type, "pattern", pattern, "targets", targets, "position", position,
                        "description", "test"))
                .post("/api/v1/rules").then().statusCode(201).extract().path("id");
    }

    static void delete(String id) {
        admin().delete("/api/v1/rules/" + id).then().statusCode(204);
    }

    @Test
    void each_rule_is_testable_and_the_test_names_the_rule_that_really_decides() {
        String wildcard = create("WILDCARD", "*@rules-old.example", List.of("*@rules-new.example"), 20);
        String regex = create("REGEX", "(?<user>[a-z]+)\\.(?<dept>[a-z]+)@rules-old\\.example",
                List.of("${dept}+${user}@rules-new.example"), 10);
        try {
            admin().body(Map.of("address", "jane.sales@Rules-Old.example")).post("/api/v1/rules/" + regex + "/test")
                    .then().statusCode(200).body("matched", equalTo(true))
                    .body("results", contains("sales+jane@rules-old.example".replace("rules-old", "rules-new")))
                    .body("decidedBy", equalTo(regex));
            admin().body(Map.of("address", "jane.sales@rules-old.example")).post("/api/v1/rules/" + wildcard + "/test")
                    .then().statusCode(200).body("matched", equalTo(true))
                    .body("results", contains("jane.sales@rules-new.example"))
                    .body("message", containsString("comes first")).body("decidedBy", equalTo(regex));
            admin().body(Map.of("address", "someone@elsewhere.example")).post("/api/v1/rules/" + wildcard + "/test")
                    .then().statusCode(200).body("matched", equalTo(false)).body("decidedBy", nullValue());
            given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/rules").then().statusCode(200)
                    .body("id", org.hamcrest.Matchers.hasItems(regex, wildcard));
        } finally {
            delete(wildcard);
            delete(regex);
        }
    }

    @Test
    void rules_that_could_never_produce_an_address_are_refused_when_saved() {
        admin().body(Map.of("type", "REGEX", "pattern", "([a-z", "targets", List.of("x@example.com")))
                .post("/api/v1/rules").then().statusCode(400).body("field", equalTo("pattern"));
        admin().body(Map.of("type", "EXACT", "pattern", "alias@example.com", "targets", List.of("two words")))
                .post("/api/v1/rules").then().statusCode(400).body("field", equalTo("targets"));
        admin().body(Map.of("type", "EXACT", "pattern", "alias@example.com", "targets", List.of("a@example.com\r\nRCPT TO:<x@y.z>")))
                .post("/api/v1/rules").then().statusCode(400).body("field", equalTo("targets"));
        admin().body(Map.of("type", "WILDCARD", "pattern", "no-at-sign", "targets", List.of("x@example.com")))
                .post("/api/v1/rules").then().statusCode(400).body("field", equalTo("pattern"));
        admin().body(Map.of("type", "SOUNDEX", "pattern", "x@example.com", "targets", List.of("x@example.com")))
                .post("/api/v1/rules").then().statusCode(400);
    }

    @Test
    void unknown_rules_are_404() {
        admin().body(Map.of("address", "a@example.com")).post("/api/v1/rules/00000000-0000-0000-0000-000000000000/test")
                .then().statusCode(404);
    }
}
