package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.popbridge.stack.process.Waits;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * A service killed with SIGKILL while mail flows (Exchange answers slowly, so the kill lands mid-run): after its
 * restart every message arrives exactly once and the ISP mailbox is emptied. The e2e stack shortens Kafka's
 * session timeout and the fetcher's account lease (e2e-stack.properties), else a killed consumer or lease would
 * hold things up for 45 s or 5 min.
 */
@StackTest
class CrashMidRunTest {
    private static final int MESSAGES = 20;
    /** Exchange answers each RCPT this late: the run takes seconds, long enough to be killed in. */
    private static final Duration RCPT_DELAY = Duration.ofMillis(250);

    /** Mail on its way: the account, its ISP mailbox, the Exchange recipient and the Message-IDs sent. */
    private record Run(String account, String login, String target, List<String> ids) {
    }

    @AfterEach
    void exchangeAnswersPromptlyAgain() {
        Stack.exchange().acceptAll();
    }

    @Test
    void a_delivery_service_killed_mid_run_loses_and_duplicates_nothing() {
        Run run = started("crash-delivery");

        Stack.crash("delivery");

        assertEachDeliveredOnceAndIspEmptied(run);
    }

    @Test
    void a_fetcher_killed_mid_run_loses_and_duplicates_nothing() {
        Run run = started("crash-fetcher");

        Stack.crash("fetcher");

        assertEachDeliveredOnceAndIspEmptied(run);
    }

    @Test
    @Disabled("finding 2026-11-22 (fetcher): killed (SIGKILL) while its poll of an account runs, the restarted fetcher "
            + "cannot poll that account until the dead instance's lease expires (fetcher.poll.lease, default 5 min): "
            + "POST /api/v1/accounts/{id}/poll answers 409 'a poll of this account is running' and the scheduler skips "
            + "the account, so DELETE_AFTER_DELIVERY deletes nothing for up to 5 min. The lease owner is host name plus a "
            + "random suffix, new at every start, so a restarted instance never recognises its own lease. Nothing is "
            + "lost or duplicated (a_fetcher_killed_mid_run_loses_and_duplicates_nothing, with the lease shortened).")
    void a_fetcher_killed_during_a_poll_can_poll_that_account_again_right_after_its_restart() throws IOException {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox("crash-lease");
        List<String> ids = mailbox.deliverNumbered(5, "lease");
        try (SlowProxy slowIsp = new SlowProxy(Stack.isp().port(), Duration.ofMillis(300))) {
            String account = Stack.fetcher().post("/api/v1/accounts", StackConfig.singleAccount(mailbox.login(),
                    mailbox.password(), mailbox.target(), slowIsp.port())).expect(201).id();
            // greeting, USER and PASS answered: the first poll is logged in and fetching
            await().atMost(Duration.ofSeconds(30)).until(() -> slowIsp.chunksRelayed() >= 3);

            Stack.crash("fetcher");

            assertThat(Stack.fetcher().post("/api/v1/accounts/" + account + "/poll", null).status())
                    .as("poll-now right after the restart").isEqualTo(200);
            assertEachDeliveredOnceAndIspEmptied(new Run(account, mailbox.login(), mailbox.target(), ids));
        }
    }

    /** Messages on the ISP, Exchange slowed down, the account created; returns once a few were accepted. */
    private static Run started(String prefix) {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox(prefix);
        String login = mailbox.login();
        String target = mailbox.target();
        List<String> ids = mailbox.deliverNumbered(MESSAGES, "crash");
        Stack.exchange().recipientPolicy(rcpt -> {
            if (rcpt.equalsIgnoreCase(target)) {
                Waits.sleep(RCPT_DELAY);
            }
            return Optional.empty();
        });
        String account = mailbox.createSingleAccount();
        await().atMost(Polls.DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> Stack.exchange().receivedFor(target).size() >= 3);
        assertThat(Stack.exchange().receivedFor(target)).as("accepted before the kill (else it is not mid-run)")
                .hasSizeLessThan(MESSAGES);
        return new Run(account, login, target, ids);
    }

    private static void assertEachDeliveredOnceAndIspEmptied(Run run) {
        await().atMost(Polls.DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> Stack.exchange().receivedFor(run.target()).size() >= run.ids().size());
        Polls.awaitIspEmpty(run.account(), run.login());
        assertThat(Mails.copiesFor(run.target())).as("copies per Message-ID").containsOnlyKeys(run.ids())
                .allSatisfy((id, copies) -> assertThat(copies).as(id).isEqualTo(1L));
    }
}
