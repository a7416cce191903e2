package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * DELETE_AFTER_DELIVERY: a message leaves the ISP only once Exchange accepted it. While Exchange answers
 * 451 the mail stays on the POP3 server; delivery retries (seconds apart in the e2e stack, see
 * e2e-stack.properties) and it arrives once Exchange accepts again.
 */
@StackTest
class DeleteAfterDeliveryTest {
    private static final int MESSAGES = 3;

    @Test
    void keeps_mail_on_the_isp_while_exchange_refuses_temporarily_and_deletes_it_once_it_arrived() {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox("deferred");
        String login = mailbox.login();
        String target = mailbox.target();
        List<String> ids = mailbox.deliverNumbered(MESSAGES, "later");
        Stack.exchange().recipientPolicy(rcpt -> rcpt.equalsIgnoreCase(target)
                ? Optional.of("451 4.3.0 mailbox busy, try later") : Optional.empty());
        String account;
        try {
            account = mailbox.createSingleAccount();
            await().atMost(Polls.DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(withStatus(account, "DEFERRED")).as("deferred messages").isEqualTo(MESSAGES));
            Polls.pollNow(account); // a poll after the deferrals: nothing is final, nothing may be deleted
            Polls.pollNow(account);

            assertThat(Stack.isp().count(login)).as("messages kept on the ISP while Exchange refuses").isEqualTo(MESSAGES);
            assertThat(Stack.exchange().receivedFor(target)).isEmpty();
        } finally {
            Stack.exchange().acceptAll();
        }

        await().atMost(Polls.DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            int left = Stack.isp().count(login);
            assertThat(Stack.exchange().receivedFor(target)).as("accepted by Exchange while %d are left on the ISP", left)
                    .hasSizeGreaterThanOrEqualTo(MESSAGES - left);
            Polls.pollNow(account);
            assertThat(left).as("messages left on the ISP").isZero();
        });
        assertThat(Mails.copiesFor(target)).containsOnlyKeys(ids).allSatisfy((id, copies) -> assertThat(copies).as(id).isEqualTo(1L));
    }

    /** How many of the account's messages the fetcher's messages API lists with this status. */
    private static int withStatus(String account, String status) {
        return Stack.fetcher().get("/api/v1/messages?account=" + account + "&status=" + status).expect(200).json().size();
    }
}
