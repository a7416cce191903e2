package io.popbridge.fetcher.poll;

import static io.popbridge.fetcher.FetcherTestSupport.account;
import static io.popbridge.fetcher.FetcherTestSupport.column;
import static io.popbridge.fetcher.FetcherTestSupport.create;
import static io.popbridge.fetcher.FetcherTestSupport.poll;
import static io.popbridge.fetcher.FetcherTestSupport.status;
import static io.popbridge.fetcher.FetcherTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.icegreen.greenmail.util.GreenMail;
import io.micrometer.core.instrument.MeterRegistry;
import io.popbridge.common.crypto.SecretCipher;
import io.popbridge.contract.Topics;
import io.popbridge.fetcher.AdminSmtpTestResource;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.SharedKafka;
import io.popbridge.testsupport.oauth.OAuth2TokenEndpoint;
import io.popbridge.testsupport.pop3.ScriptedPop3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** XOAUTH2 accounts against GreenMail's POP3 (which checks the bearer token) and a refresh-token endpoint. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
class XOAuth2PollTest {
    private static final String CLIENT = "popbridge-app";
    private static final String CLIENT_SECRET = "app-secret-Xy7";
    private static GreenMail greenMail;
    private static OAuth2TokenEndpoint provider;

    @Inject
    SecretCipher cipher;

    @Inject
    MeterRegistry registry;

    private double tokenRequests(String outcome) {
        return registry.get("popbridge.fetcher.oauth2.token.requests").tag("outcome", outcome).counter().count();
    }

    @BeforeAll
    static void start() {
        greenMail = Mailboxes.pop3();
        provider = OAuth2TokenEndpoint.start().client(CLIENT, CLIENT_SECRET);
    }

    @AfterAll
    static void stop() {
        greenMail.stop();
        provider.close();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON);
    }

    private static String xoauth2Account(String name, int port, String username, String refreshToken) {
        String secret = refreshToken == null ? "" : ",\"refreshToken\":\"" + refreshToken + "\"";
        return account(name, port, "NONE", "", "KEEP", """
                "auth":"XOAUTH2","username":"%s","password":null,
                "oauth2":{"tokenUrl":"%s","clientId":"%s","clientSecret":"%s","scope":"https://mail.google.com/"%s}"""
                .formatted(username, provider.url(), CLIENT, CLIENT_SECRET, secret));
    }

    private static long requestsWith(String refreshToken) {
        return provider.requests().stream().filter(r -> refreshToken.equals(r.get("refresh_token"))).count();
    }

    @Test
    void logs_in_with_a_refreshed_access_token_and_reuses_it_until_shortly_before_it_expires() {
        String login = unique("oauth");
        greenMail.setUser(login + "@localhost", login, "access-" + login);
        // the provider answers with the same refresh token again, as Microsoft's may: nothing to store
        provider.grant("refresh-" + login, "access-" + login, 3600).rotate("refresh-" + login, "refresh-" + login);
        Mailboxes.deliver(greenMail, login, Mailboxes.message("oauth one", 1500));
        Mailboxes.deliver(greenMail, login, Mailboxes.message("oauth two", 2500));
        String id = create(xoauth2Account(unique("xoauth2"), greenMail.getPop3().getPort(), login, "refresh-" + login));

        String view = admin().get("/api/v1/accounts/" + id).then().statusCode(200)
                .body("auth", equalTo("XOAUTH2"))
                .body("passwordSet", equalTo(false))
                .body("oauth2.tokenUrl", equalTo(provider.url()))
                .body("oauth2.clientId", equalTo(CLIENT))
                .body("oauth2.clientSecretSet", equalTo(true))
                .body("oauth2.refreshTokenSet", equalTo(true))
                .extract().asString();
        assertThat(view).doesNotContain("refresh-" + login).doesNotContain(CLIENT_SECRET);
        String stored = column("select oauth2_refresh_token from account where id = ?::uuid", id).get(0);
        assertThat(stored).startsWith("v1:").doesNotContain("refresh-" + login);
        assertThat(column("select oauth2_client_secret from account where id = ?::uuid", id).get(0))
                .startsWith("v1:").doesNotContain(CLIENT_SECRET);

        double okBefore = tokenRequests("ok");
        try (KafkaConsumer<String, byte[]> consumer = SharedKafka.consumerAtEnd(Topics.FETCHED)) {
            JsonPath first = poll(id);
            assertThat(first.getString("outcome")).isEqualTo("OK");
            assertThat(first.getInt("messagesFetched")).isEqualTo(2);
            assertThat(SharedKafka.await(consumer, 2, r -> id.equals(new String(
                    r.headers().lastHeader("pb-account-id").value(), StandardCharsets.UTF_8)), Duration.ofSeconds(15))).hasSize(2);
        }
        assertThat(requestsWith("refresh-" + login)).isEqualTo(1);
        assertThat(column("select oauth2_refresh_token from account where id = ?::uuid", id)).containsExactly(stored);
        Map<String, String> request = provider.requests().stream()
                .filter(r -> ("refresh-" + login).equals(r.get("refresh_token"))).findFirst().orElseThrow();
        assertThat(request).containsEntry("grant_type", "refresh_token").containsEntry("client_id", CLIENT)
                .containsEntry("client_secret", CLIENT_SECRET).containsEntry("scope", "https://mail.google.com/");

        assertThat(poll(id).getString("outcome")).isEqualTo("OK");
        admin().post("/api/v1/accounts/" + id + "/test").then().statusCode(200).body("ok", equalTo(true))
                .body("steps.find { it.step == 'login' }.ok", equalTo(true));
        assertThat(requestsWith("refresh-" + login)).as("the access token is valid for an hour: no second refresh").isEqualTo(1);
        assertThat(tokenRequests("ok")).isEqualTo(okBefore + 1);
    }

    @Test
    void a_rotated_refresh_token_is_stored_encrypted_and_used_from_then_on() {
        String login = unique("rotate");
        greenMail.setUser(login + "@localhost", login, "access-" + login);
        // 60 s tokens are inside the renewal margin: every poll refreshes
        provider.grant("first-" + login, "access-" + login, 60).rotate("first-" + login, "second-" + login);
        String id = create(xoauth2Account(unique("xoauth2-rotate"), greenMail.getPop3().getPort(), login, "first-" + login));

        assertThat(poll(id).getString("outcome")).isEqualTo("OK");
        String stored = column("select oauth2_refresh_token from account where id = ?::uuid", id).get(0);
        assertThat(stored).startsWith("v1:");
        assertThat(cipher.decrypt(stored)).isEqualTo("second-" + login);

        JsonPath next = poll(id);
        assertThat(next.getString("outcome")).as(next.prettify()).isEqualTo("OK");
        assertThat(requestsWith("first-" + login)).isEqualTo(1);
        assertThat(requestsWith("second-" + login)).isEqualTo(1);
    }

    @Test
    void a_revoked_refresh_token_fails_as_auth_failed_until_a_new_one_is_given_through_the_api() {
        String login = unique("revoked");
        greenMail.setUser(login + "@localhost", login, "access-" + login);
        String name = unique("xoauth2-revoked");
        String id = create(xoauth2Account(name, greenMail.getPop3().getPort(), login, "old-" + login));

        double refusedBefore = tokenRequests("refused");
        JsonPath failed = poll(id);
        assertThat(tokenRequests("refused")).isEqualTo(refusedBefore + 1);
        assertThat(failed.getString("outcome")).isEqualTo("AUTH_FAILED");
        assertThat(failed.getString("error")).contains("invalid_grant").contains("400").doesNotContain("old-" + login);
        assertThat(status(id).getString("lastOutcome")).isEqualTo("AUTH_FAILED");

        provider.grant("new-" + login, "access-" + login, 3600);
        admin().body(xoauth2Account(name, greenMail.getPop3().getPort(), login, "new-" + login))
                .put("/api/v1/accounts/" + id).then().statusCode(200);
        assertThat(poll(id).getString("outcome")).isEqualTo("OK");
        assertThat(status(id).getInt("consecutiveFailures")).isZero();

        // an update that leaves the refresh token out keeps the stored one
        admin().body(xoauth2Account(name, greenMail.getPop3().getPort(), login, null))
                .put("/api/v1/accounts/" + id).then().statusCode(200).body("oauth2.refreshTokenSet", equalTo(true));
        assertThat(cipher.decrypt(column("select oauth2_refresh_token from account where id = ?::uuid", id).get(0)))
                .isEqualTo("new-" + login);
    }

    @Test
    void an_access_token_the_server_refuses_is_dropped_and_the_next_poll_gets_a_fresh_one() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            String login = unique("refused");
            server.credentials(login, "access-1-" + login);
            server.add("uid-1", Mailboxes.message("refused one", 1000));
            provider.grant("refresh-" + login, "access-1-" + login, 3600);
            String id = create(xoauth2Account(unique("xoauth2-refused"), server.port(), login, "refresh-" + login));
            assertThat(poll(id).getString("outcome")).isEqualTo("OK");

            // the provider revoked access-1 before its expiry and now hands out access-2
            server.credentials(login, "access-2-" + login);
            provider.grant("refresh-" + login, "access-2-" + login, 3600);
            JsonPath refused = poll(id);
            assertThat(refused.getString("outcome")).isEqualTo("AUTH_FAILED");
            assertThat(refused.getString("error")).contains("access token not accepted").contains("\"status\":\"401\"");
            assertThat(server.commands()).contains("(after error challenge) ");

            assertThat(poll(id).getString("outcome")).isEqualTo("OK");
            assertThat(requestsWith("refresh-" + login)).isEqualTo(2);
        }
    }

    @Test
    void a_token_endpoint_that_is_down_is_a_connection_failure_not_a_login_failure() {
        String login = unique("down");
        greenMail.setUser(login + "@localhost", login, "access-" + login);
        provider.grant("refresh-" + login, "access-" + login, 3600);
        String id = create(xoauth2Account(unique("xoauth2-down"), greenMail.getPop3().getPort(), login, "refresh-" + login));
        provider.unavailable(true);
        double unavailableBefore = tokenRequests("unavailable");
        try {
            JsonPath failed = poll(id);
            assertThat(tokenRequests("unavailable")).isEqualTo(unavailableBefore + 1);
            assertThat(failed.getString("outcome")).isEqualTo("CONNECT_FAILED");
            assertThat(failed.getString("error")).contains("token endpoint").contains("503");
        } finally {
            provider.unavailable(false);
        }
        assertThat(poll(id).getString("outcome")).isEqualTo("OK");
    }

    @Test
    void rejects_xoauth2_accounts_without_a_safe_token_source() {
        int port = greenMail.getPop3().getPort();
        admin().body(account(unique("v"), port, "NONE", "", "KEEP", "\"auth\":\"XOAUTH2\""))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("oauth2"));
        admin().body(xoauth2Account(unique("v"), port, "u", null))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("oauth2.refreshToken"));
        admin().body(xoauth2Account(unique("v"), port, "u", "r").replace(provider.url(), "http://idp.example/token"))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("oauth2.tokenUrl"));
        admin().body(xoauth2Account(unique("v"), port, "u", "r").replace("\"clientId\":\"" + CLIENT + "\",", ""))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("oauth2.clientId"));
    }
}
