package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.popbridge.stack.demo.ExchangeStandIn.ReceivedMail;
import io.popbridge.stack.http.Json;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;

/**
 * Catch-all routing through the whole system: the recipient comes from the ISP's {@code Delivered-To}; each test
 * has its own ISP mailbox and account, waits until the mailbox is empty (every message had its final outcomes)
 * and only then checks exactly which copies Exchange accepted.
 */
@StackTest
class CatchAllRoutingTest {
    private static final String PASSWORD = "pop3-secret";
    /** Set in e2e-stack.properties for router and delivery. */
    private static final String INSTALLATION = "popbridge-e2e";

    @Test
    void delivers_a_bcc_copy_to_the_recipient_named_only_in_the_envelope_header() {
        String login = catchAllMailbox("bcc");
        String bcc = address("dora");
        String id = "<" + login + "@e2e.test>";
        Stack.isp().deliver(login, "Delivered-To: " + bcc + "\r\n"
                + "From: <partner@customer.example>\r\nTo: <team@" + Stack.DOMAIN + ">\r\nCc: <boss@" + Stack.DOMAIN + ">\r\n"
                + "Subject: blind copy\r\nMessage-ID: " + id + "\r\n\r\nFor dora's eyes only.\r\n");

        runToEmpty(login, () -> assertThat(Mails.withMessageId(id)).isNotEmpty());

        assertThat(Mails.withMessageId(id)).extracting(ReceivedMail::recipients).containsExactly(List.of(bcc));
    }

    @Test
    void sends_unknown_and_foreign_recipients_to_the_fallback_mailbox_with_the_reason() {
        String login = catchAllMailbox("fallback");
        String unknown = address("nobody");
        String foreign = Stack.unique("someone") + "@elsewhere.example";
        String unknownId = "<" + login + "-unknown@e2e.test>";
        String foreignId = "<" + login + "-foreign@e2e.test>";
        Stack.isp().deliver(login, "Delivered-To: " + unknown + "\r\nFrom: <a@customer.example>\r\nSubject: unknown\r\n"
                + "Message-ID: " + unknownId + "\r\n\r\nno such user\r\n");
        Stack.isp().deliver(login, "Delivered-To: " + foreign + "\r\nFrom: <a@customer.example>\r\nSubject: foreign\r\n"
                + "Message-ID: " + foreignId + "\r\n\r\nnot our domain\r\n");
        Stack.exchange().recipientPolicy(rcpt -> rcpt.equalsIgnoreCase(unknown)
                ? Optional.of("550 5.1.1 recipient unknown") : Optional.empty());
        try {
            runToEmpty(login, () -> assertThat(Mails.withMessageId(unknownId)).hasSize(1));
        } finally {
            Stack.exchange().acceptAll();
        }

        ReceivedMail toUnknown = single(unknownId, StackConfig.FALLBACK);
        assertThat(Mails.header(toUnknown, Mails.FALLBACK_REASON)).get().asString()
                .contains(unknown).contains("550 5.1.1 recipient unknown");
        assertThat(Mails.header(toUnknown, Mails.ORIGINAL_RECIPIENT)).contains(unknown);
        ReceivedMail toForeign = single(foreignId, StackConfig.FALLBACK);
        assertThat(Mails.header(toForeign, Mails.FALLBACK_REASON)).get().asString().contains("FALLBACK_FOREIGN_DOMAIN");
        assertThat(Mails.header(toForeign, Mails.ORIGINAL_RECIPIENT)).contains(foreign);
    }

    @Test
    void sends_a_message_carrying_this_installations_loop_marker_to_the_fallback_with_reason_loop() {
        String login = catchAllMailbox("loop");
        String bob = address("bob");
        String loopId = "<" + login + "-ours@e2e.test>";
        String otherId = "<" + login + "-other@e2e.test>";
        Stack.isp().deliver(login, "Delivered-To: " + bob + "\r\n"
                + Mails.LOOP_MARKER + ": installation=" + INSTALLATION + "; pbid=0123456789abcdef\r\n"
                + "From: <" + bob + ">\r\nSubject: came back\r\nMessage-ID: " + loopId + "\r\n\r\nround and round\r\n");
        Stack.isp().deliver(login, "Delivered-To: " + bob + "\r\n"
                + Mails.LOOP_MARKER + ": installation=another-site; pbid=fedcba9876543210\r\n"
                + "From: <x@customer.example>\r\nSubject: via another popbridge\r\nMessage-ID: " + otherId + "\r\n\r\nfine\r\n");

        runToEmpty(login, () -> assertThat(Mails.withMessageId(loopId)).isNotEmpty());

        ReceivedMail loop = single(loopId, StackConfig.FALLBACK);
        assertThat(Mails.header(loop, Mails.FALLBACK_REASON)).get().asString().contains("LOOP");
        assertThat(Mails.header(loop, Mails.ORIGINAL_RECIPIENT)).contains(bob);
        assertThat(single(otherId, bob)).as("another installation's marker is no loop")
                .satisfies(mail -> assertThat(Mails.header(mail, Mails.FALLBACK_REASON)).isEmpty());
    }

    @Test
    void rewrites_a_recipient_by_an_alias_rule_made_through_the_router_api() {
        String login = catchAllMailbox("alias");
        String sales = address("sales");
        String bob = address("bob");
        String id = "<" + login + "@e2e.test>";
        Stack.router().post("/api/v1/rules", """
                {"type": "EXACT", "pattern": %s, "targets": [%s], "position": 10, "description": "e2e alias"}"""
                .formatted(Json.quote(sales), Json.quote(bob))).expect(201);
        Stack.isp().deliver(login, "Delivered-To: " + sales + "\r\nFrom: <buyer@customer.example>\r\nTo: <" + sales + ">\r\n"
                + "Subject: order\r\nMessage-ID: " + id + "\r\n\r\nplease quote\r\n");

        runToEmpty(login, () -> assertThat(Mails.withMessageId(id)).isNotEmpty());

        assertThat(Mails.withMessageId(id)).extracting(ReceivedMail::recipients).containsExactly(List.of(bob));
        assertThat(Stack.exchange().receivedFor(sales)).isEmpty();
    }

    @Test
    void delivers_a_second_isp_copy_with_the_same_message_id_and_recipient_only_once() {
        String login = catchAllMailbox("duplicate");
        String bob = address("bob");
        String carol = address("carol");
        String id = "<" + login + "@e2e.test>";
        String message = "From: <partner@customer.example>\r\nSubject: twice\r\nMessage-ID: " + id + "\r\n\r\nonce is enough\r\n";
        Stack.isp().deliver(login, "Delivered-To: " + bob + "\r\n" + message);
        Stack.isp().deliver(login, "Delivered-To: " + bob + "\r\n" + message); // the ISP delivered it twice
        Stack.isp().deliver(login, "Delivered-To: " + carol + "\r\n" + message);

        runToEmpty(login, () -> assertThat(Mails.withMessageId(id)).hasSizeGreaterThanOrEqualTo(2));

        assertThat(Mails.withMessageId(id)).extracting(ReceivedMail::recipients)
                .containsExactlyInAnyOrder(List.of(bob), List.of(carol));
    }

    /** Creates the account, waits for the first copies, then until every ISP message was deleted (final). */
    private static void runToEmpty(String login, ThrowingRunnable firstCopies) {
        String account = Stack.fetcher().post("/api/v1/accounts", StackConfig.catchAllAccount(login, PASSWORD)).expect(201).id();
        await().atMost(Polls.DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(firstCopies);
        Polls.awaitIspEmpty(account, login);
    }

    private static String catchAllMailbox(String prefix) {
        StackConfig.domainAndExchange();
        String login = Stack.unique(prefix);
        Stack.isp().mailbox(login, PASSWORD);
        return login;
    }

    private static String address(String prefix) {
        return Stack.unique(prefix) + "@" + Stack.DOMAIN;
    }

    /** The only copy with this Message-ID, and it went to {@code recipient} alone. */
    private static ReceivedMail single(String messageId, String recipient) {
        List<ReceivedMail> copies = Mails.withMessageId(messageId);
        assertThat(copies).as("copies of %s", messageId).hasSize(1);
        assertThat(copies.get(0).recipients()).as("recipients of %s", messageId).containsExactly(recipient);
        return copies.get(0);
    }
}
