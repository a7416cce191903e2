package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.popbridge.stack.http.ApiClient;
import io.popbridge.stack.http.ApiResponse;
import io.popbridge.stack.service.PopbridgeService;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The machinery itself: every process up and healthy, the configuration APIs answer, a restart works. */
@StackTest
class StackStartupTest {

    @Test
    void all_three_services_report_ready_on_their_management_port() {
        for (PopbridgeService service : PopbridgeService.values()) {
            ApiResponse health = new ApiClient(Stack.stack().service(service).managementUrl(), null, null).get("/q/health/ready");
            assertThat(health.status()).as(service.id()).isEqualTo(200);
            assertThat(health.json().path("status").asText()).as(service.id()).isEqualTo("UP");
        }
    }

    @Test
    void configuration_endpoints_answer_admin_and_refuse_anonymous_callers() {
        assertListAnswers(Stack.fetcher(), "/api/v1/accounts");
        assertListAnswers(Stack.router(), "/api/v1/domains");
        assertListAnswers(Stack.delivery(), "/api/v1/targets");
    }

    @Test
    void a_restarted_service_is_ready_again_and_keeps_answering() {
        long pidBefore = Stack.service("router").pid().orElseThrow();

        Stack.restart("router");

        assertThat(Stack.service("router").pid()).isPresent().get().isNotEqualTo(pidBefore);
        assertThat(Stack.service("router").isReady()).isTrue();
        assertListAnswers(Stack.router(), "/api/v1/domains");
    }

    @Test
    void exchange_stand_in_stores_each_recipients_copy_byte_exact_and_refuses_foreign_domains() throws Exception {
        String first = Stack.unique("carol") + "@" + Stack.DOMAIN;
        String second = Stack.unique("dave") + "@" + Stack.DOMAIN;
        byte[] raw = ("Subject: stand-in\r\nMessage-ID: <stand-in@e2e>\r\n\r\n.leading dot\r\nline two\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Session session = Session.getInstance(smtp());
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw));
        int before = Stack.exchange().received().size();

        Transport.send(message, new InternetAddress[] {new InternetAddress(first), new InternetAddress(second)});

        var received = Stack.exchange().awaitReceived(before + 1, Duration.ofSeconds(10));
        var mail = received.get(received.size() - 1);
        assertThat(mail.recipients()).containsExactly(first, second);
        assertThat(mail.files()).hasSize(2);
        for (var file : mail.files()) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII))
                    .contains("\r\n\r\n.leading dot\r\nline two\r\n");
        }
        assertThat(Stack.exchange().storedFor(first)).containsExactly(mail.files().get(0));

        MimeMessage foreign = new MimeMessage(session, new ByteArrayInputStream(raw));
        foreign.setRecipient(Message.RecipientType.TO, new InternetAddress("someone@elsewhere.example"));
        assertThatThrownBy(() -> Transport.send(foreign))
                .isInstanceOfSatisfying(SendFailedException.class, refused ->
                        assertThat(refused.getInvalidAddresses()).extracting(Object::toString)
                                .containsExactly("someone@elsewhere.example"));
    }

    private static Properties smtp() {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", Integer.toString(Stack.exchange().port()));
        properties.put("mail.smtp.from", "sender@isp.test");
        return properties;
    }

    private static void assertListAnswers(ApiClient api, String path) {
        ApiResponse admin = api.get(path);
        assertThat(admin.status()).as("GET %s as admin", path).isEqualTo(200);
        assertThat(admin.json().isArray() || admin.json().has("items")).as("GET %s is a list: %s", path, admin.body()).isTrue();
        assertThat(api.as(null, null).get(path).status()).as("GET %s anonymous", path).isEqualTo(401);
    }
}
