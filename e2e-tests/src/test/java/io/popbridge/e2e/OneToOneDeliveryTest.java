package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.popbridge.stack.demo.ExchangeStandIn.ReceivedMail;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The whole path through real POP3 and SMTP: ISP mailbox → fetcher → Kafka → router → delivery → Exchange. */
@StackTest
class OneToOneDeliveryTest {

    @Test
    void delivers_a_one_to_one_mailbox_byte_exact_and_deletes_it_from_the_isp_only_after_delivery() {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox("alice");
        String login = mailbox.login();
        String target = mailbox.target();
        byte[] original = ("From: <sender@partner.example>\r\n"
                + "To: <" + login + "@isp.test>\r\n"
                + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
                + "Message-ID: <" + login + "@e2e.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Grüße aus dem Test.\r\n"
                + ".a line that starts with a dot\r\n"
                + "..two dots\r\n").getBytes(StandardCharsets.UTF_8);
        Stack.isp().deliver(login, original);

        String account = mailbox.createSingleAccount();
        Stack.fetcher().post("/api/v1/accounts/" + account + "/poll", null).expect(200, 202, 204, 409); // 409: the first poll after creation is running

        ReceivedMail mail = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> Stack.exchange().receivedFor(target), list -> !list.isEmpty()).get(0);
        assertThat(mail.recipients()).containsExactly(target);
        assertThat(endsWith(mail.data(), original)).as("Exchange got the ISP's bytes unchanged after popbridge's trace headers:\n%s",
                mail.text()).isTrue();

        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Stack.fetcher().post("/api/v1/accounts/" + account + "/poll", null);
            assertThat(Stack.isp().count(login)).as("messages left in the ISP mailbox").isZero();
        });
        assertThat(Stack.exchange().receivedFor(target)).as("delivered once").hasSize(1);
    }

    private static boolean endsWith(byte[] data, byte[] suffix) {
        if (data.length < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (data[data.length - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
