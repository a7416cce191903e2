package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.popbridge.stack.demo.ExchangeStandIn.ReceivedMail;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A catch-all ISP mailbox: one copy per envelope recipient, each delivered once; foreign recipients to the fallback. */
@StackTest
class CatchAllDeliveryTest {

    @Test
    void delivers_each_isp_copy_only_to_its_envelope_recipient_and_a_foreign_one_to_the_fallback_mailbox() {
        StackConfig.domainAndExchange();
        String login = Stack.unique("office");
        String bob = Stack.unique("bob") + "@" + Stack.DOMAIN;
        String carol = Stack.unique("carol") + "@" + Stack.DOMAIN;
        String messageId = "<" + login + "-team@e2e.test>";
        String team = "From: <partner@customer.example>\r\nTo: <team@" + Stack.DOMAIN + ">\r\nSubject: kick-off\r\n"
                + "Message-ID: " + messageId + "\r\n\r\nOne ISP copy per recipient.\r\n";
        String foreignId = "<" + login + "-foreign@e2e.test>";
        Stack.isp().mailbox(login, "pop3-secret");
        Stack.isp().deliver(login, "Delivered-To: " + bob + "\r\n" + team);
        Stack.isp().deliver(login, "Delivered-To: " + carol + "\r\n" + team);
        Stack.isp().deliver(login, "Delivered-To: someone@elsewhere.example\r\nFrom: <x@elsewhere.example>\r\n"
                + "Subject: not ours\r\nMessage-ID: " + foreignId + "\r\n\r\nforeign\r\n");

        String account = Stack.fetcher().post("/api/v1/accounts", StackConfig.catchAllAccount(login, "pop3-secret"))
                .expect(201).id();
        Stack.fetcher().post("/api/v1/accounts/" + account + "/poll", null).expect(200, 202, 204, 409); // 409: the first poll after creation is running

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(Mails.withMessageId(messageId)).extracting(ReceivedMail::recipients)
                    .containsExactlyInAnyOrder(List.of(bob), List.of(carol));
            assertThat(Mails.withMessageId(foreignId)).extracting(ReceivedMail::recipients)
                    .containsExactly(List.of(StackConfig.FALLBACK));
        });
        assertThat(Stack.exchange().received()).flatExtracting(ReceivedMail::recipients)
                .doesNotContain("someone@elsewhere.example");
    }
}
