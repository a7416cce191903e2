package io.popbridge.fetcher.poll;

import static io.popbridge.fetcher.FetcherTestSupport.account;
import static io.popbridge.fetcher.FetcherTestSupport.create;
import static io.popbridge.fetcher.FetcherTestSupport.poll;
import static io.popbridge.fetcher.FetcherTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.fetcher.AdminSmtpTestResource;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.pop3.ScriptedPop3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
class NotificationAndMetricsTest {
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private static List<MimeMessage> mailAbout(String name) {
        return Arrays.stream(AdminSmtpTestResource.smtp().getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains("'" + name + "'");
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    @Test
    void the_admin_is_mailed_once_when_an_account_starts_failing_and_once_when_it_recovers() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            String name = unique("notify");
            String id = create(account(name, server.port(), "NONE", "changed-at-isp", "KEEP", null));
            poll(id);
            assertThat(mailAbout(name)).isEmpty(); // one failure is not yet "failing" (fetcher.notify.after-failures=2)
            poll(id);
            poll(id);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mailAbout(name).size() == 1);
            MimeMessage failing = mailAbout(name).get(0);
            assertThat(failing.getSubject()).contains("is failing: AUTH_FAILED");
            assertThat(failing.getAllRecipients()[0].toString()).isEqualTo("admin@popbridge.test");
            String text = (String) failing.getContent();
            assertThat(text).contains("-ERR [AUTH] invalid credentials").doesNotContain("changed-at-isp");

            given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON)
                    .body(account(name, server.port(), "NONE", "secret", "KEEP", null))
                    .put("/api/v1/accounts/" + id).then().statusCode(200);
            assertThat(poll(id).getString("outcome")).isEqualTo("OK");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mailAbout(name).size() == 2);
            assertThat(mailAbout(name).get(1).getSubject()).contains("recovered");
            poll(id);
            assertThat(mailAbout(name)).hasSize(2);
        }
    }

    @jakarta.inject.Inject
    io.popbridge.fetcher.account.AccountService accountService;

    @Test
    void an_account_created_through_another_replica_gets_its_series_and_a_deleted_one_loses_them() throws Exception {
        String id = create(account(unique("other-replica"), 1, "NONE", "pw", "KEEP", null));
        String series = "popbridge_fetcher_poll_interval_seconds{account=\"" + id + "\"}";
        io.popbridge.fetcher.FetcherTestSupport.update("delete from account where id = ?::uuid", java.util.UUID.fromString(id));
        accountService.syncMetrics(); // as the periodic sync does
        assertThat(given().get(metrics).then().extract().asString()).doesNotContain(series);
        String other = java.util.UUID.randomUUID().toString();
        io.popbridge.fetcher.FetcherTestSupport.update("insert into account (id, name, host, port, security, verify_certificate, "
                + "auth, username, password_secret, password_key_id, poll_interval_seconds, enabled, max_message_bytes, "
                + "retention_policy, routing) select ?::uuid, 'inserted-elsewhere-' || ?, host, port, security, verify_certificate, auth, "
                + "username, password_secret, password_key_id, 120, enabled, max_message_bytes, retention_policy, routing "
                + "from account limit 1", java.util.UUID.fromString(other), other);
        accountService.syncMetrics();
        assertThat(given().get(metrics).then().extract().asString())
                .contains("popbridge_fetcher_poll_interval_seconds{account=\"" + other + "\"} 120.0");
    }

    @Test
    void every_fetcher_metric_of_the_catalogue_is_exported_for_a_new_account() throws Exception {
        String id = create(account(unique("metrics"), 1, "NONE", "pw", "KEEP", null));
        String body = given().get(metrics).then().statusCode(200).extract().asString();
        String catalogue = Files.readString(Path.of("..", "docs", "metrics.md"));
        String fetcher = catalogue.substring(catalogue.indexOf("## fetcher-service"), catalogue.indexOf("## router-service"));
        Matcher names = Pattern.compile("^\\| `([a-z_]+)`", Pattern.MULTILINE).matcher(fetcher);
        int count = 0;
        while (names.find()) {
            String name = names.group(1);
            String exported = name.endsWith("_seconds") && name.contains("duration") ? name + "_count" : name;
            assertThat(body).as(name).containsPattern("(?m)^" + exported + "[{ ]");
            count++;
        }
        assertThat(count).isEqualTo(13);
        assertThat(body).contains("popbridge_fetcher_polls_total{account=\"" + id + "\",outcome=\"OK\"} 0.0");
        assertThat(body).contains("popbridge_fetcher_poll_interval_seconds{account=\"" + id + "\"} 60.0");
        assertThat(body).containsPattern("popbridge_fetcher_accounts\\{status=\"ok\"} [1-9]");
    }
}
