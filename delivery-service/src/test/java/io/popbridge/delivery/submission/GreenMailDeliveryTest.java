package io.popbridge.delivery.submission;

import static io.popbridge.delivery.DeliveryTestKit.awaitOutcome;
import static io.popbridge.delivery.DeliveryTestKit.createTarget;
import static io.popbridge.delivery.DeliveryTestKit.outcomes;
import static io.popbridge.delivery.DeliveryTestKit.pbid;
import static io.popbridge.delivery.DeliveryTestKit.publish;
import static io.popbridge.delivery.DeliveryTestKit.routed;
import static io.popbridge.delivery.DeliveryTestKit.to;
import static io.popbridge.delivery.DeliveryTestKit.uniqueDomain;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.smtp.ScriptedSmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** Delivery to a real SMTP server implementation (GreenMail), with AUTH, and a 30 MB message. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class GreenMailDeliveryTest {

    @Test
    void delivers_through_greenmail_with_auth_and_keeps_the_original_bytes() throws Exception {
        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        try (KafkaConsumer<String, byte[]> outcomes = outcomes()) {
            String domain = uniqueDomain();
            greenMail.setUser("alice@" + domain, "relay", "pw-relay");
            createTarget("127.0.0.1", greenMail.getSmtp().getPort(), "NONE", List.of(domain),
                    Map.of("username", "relay", "password", "pw-relay", "authMechanism", "PLAIN"));
            String pbid = pbid();
            String raw = "From: Bob <bob@isp.test>\r\nTo: alice@" + domain + "\r\nSubject: via GreenMail\r\n"
                    + "Message-ID: <gm-1@isp.test>\r\n\r\nHello Alice,\r\n.a line with a leading dot\r\n";
            publish(routed(pbid, "bob@isp.test", "", List.of(to("alice@" + domain))), raw.getBytes(StandardCharsets.US_ASCII));
            List<OutcomeEvent> seen = awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, Duration.ofSeconds(20));
            assertThat(seen).extracting(OutcomeEvent::type).containsExactly(OutcomeType.DELIVERED);
            assertThat(seen.get(0).messageId()).isEqualTo("<gm-1@isp.test>");
            assertThat(seen.get(0).subject()).isEqualTo("via GreenMail");
            MimeMessage[] got = greenMail.getReceivedMessages();
            assertThat(got).hasSize(1);
            String whole = GreenMailUtil.getWholeMessage(got[0]);
            assertThat(whole).contains("X-Popbridge-Loop: installation=test-install; pbid=" + pbid)
                    .contains("Message-ID: <gm-1@isp.test>").doesNotContain("@popbridge.invalid")
                    .contains("Hello Alice,\r\n.a line with a leading dot");
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void a_30_mb_message_goes_through() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().pipelining().start();
             KafkaConsumer<String, byte[]> outcomes = outcomes()) {
            String domain = uniqueDomain();
            createTarget(server.host(), server.port(), "NONE", List.of(domain), Map.of());
            StringBuilder sb = new StringBuilder(31 * 1024 * 1024).append("Subject: big\r\n\r\n");
            String line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
            while (sb.length() < 30 * 1024 * 1024) {
                sb.append(line).append(".\r\n");
            }
            byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
            sb.setLength(0);
            String pbid = pbid();
            long before = used();
            publish(routed(pbid, "s@isp.test", "", List.of(to("u@" + domain))), raw);
            List<OutcomeEvent> seen = awaitOutcome(outcomes, pbid, OutcomeType.DELIVERED, Duration.ofSeconds(90));
            assertThat(seen).extracting(OutcomeEvent::type).containsExactly(OutcomeType.DELIVERED);
            ScriptedSmtpServer.Transaction t = server.transactions().get(0);
            assertThat(t.content().length).isGreaterThan(raw.length);
            assertThat(new String(t.content(), t.content().length - raw.length, raw.length, StandardCharsets.US_ASCII))
                    .isEqualTo(new String(raw, StandardCharsets.US_ASCII));
            System.out.printf("[delivery] 30 MB message delivered; heap used before %d MB, after %d MB%n", before >> 20, used() >> 20);
        }
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
