package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A service killed with SIGKILL while mail flows (a quarter delivered, the rest waiting for Exchange): after its
 * restart every message arrives exactly once and the ISP mailbox is emptied. The e2e stack shortens Kafka's
 * session timeout (e2e-stack.properties), else a killed consumer would hold things up for 45 s; the fetcher's
 * account lease keeps its 5 min: a restarted fetcher releases what its killed predecessor leased.
 */
@StackTest
class CrashMidRunTest {
    private static final int MESSAGES = 20;
    /** Exchange accepts this many, then holds every further RCPT reply until the kill. */
    private static final int BEFORE_KILL = 5;

    /** Exchange's held RCPT replies go out when this opens. */
    private final CountDownLatch held = new CountDownLatch(1);

    /** Mail on its way: the account, its ISP mailbox, the Exchange recipient and the Message-IDs sent. */
    private record Run(String account, String login, String target, List<String> ids) {
    }

    @AfterEach
    void exchangeAnswersPromptlyAgain() {
        held.countDown();
        Stack.exchange().acceptAll();
    }

    @Test
    void a_delivery_service_killed_mid_run_loses_and_duplicates_nothing() {
        Run run = started("crash-delivery");

        Stack.crash("delivery");
        held.countDown();

        assertEachDeliveredOnceAndIspEmptied(run);
    }

    @Test
    void a_fetcher_killed_mid_run_loses_and_duplicates_nothing() {
        Run run = started("crash-fetcher");

        Stack.crash("fetcher");
        held.countDown();

        assertEachDeliveredOnceAndIspEmptied(run);
    }

    @Test
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

    /**
     * Messages on the ISP, the account created; returns once Exchange accepted the first {@value #BEFORE_KILL}, their
     * outcomes reached the fetcher, and every other delivery waits for Exchange's RCPT reply. A kill then never lands
     * between Exchange's 250 and delivery's ledger write, where SMTP itself cannot tell whether the mail arrived.
     */
    private Run started(String prefix) {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox(prefix);
        String login = mailbox.login();
        String target = mailbox.target();
        List<String> ids = mailbox.deliverNumbered(MESSAGES, "crash");
        AtomicInteger rcpts = new AtomicInteger();
        Stack.exchange().recipientPolicy(rcpt -> {
            if (rcpt.equalsIgnoreCase(target) && rcpts.incrementAndGet() > BEFORE_KILL) {
                awaitQuietly(held);
            }
            return Optional.empty();
        });
        String account = mailbox.createSingleAccount();
        await().atMost(Polls.DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(Stack.exchange().receivedFor(target)).hasSize(BEFORE_KILL);
            assertThat(Stack.fetcher().get("/api/v1/messages?account=" + account).expect(200).json().findValuesAsText("status"))
                    .as("statuses").filteredOn(status -> status.equals("FINAL") || status.equals("DELETED")).hasSize(BEFORE_KILL);
        });
        return new Run(account, login, target, ids);
    }

    private static void assertEachDeliveredOnceAndIspEmptied(Run run) {
        await().atMost(Polls.DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> Stack.exchange().receivedFor(run.target()).size() >= run.ids().size());
        Polls.awaitIspEmpty(run.account(), run.login());
        assertThat(Mails.copiesFor(run.target())).as("copies per Message-ID").containsOnlyKeys(run.ids())
                .allSatisfy((id, copies) -> assertThat(copies).as(id).isEqualTo(1L));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
