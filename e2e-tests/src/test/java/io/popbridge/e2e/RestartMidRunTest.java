package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service stopped and started while mail flows: every message arrives, and only once. */
@StackTest
class RestartMidRunTest {
    private static final int MESSAGES = 20;

    @Test
    void a_router_restarted_mid_run_loses_and_duplicates_nothing() {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox("restart");
        String target = mailbox.target();
        List<String> ids = mailbox.deliverNumbered(MESSAGES, "restart");

        mailbox.createSingleAccount();
        Stack.restart("router");

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Stack.exchange().receivedFor(target).size() >= MESSAGES);
        Map<String, Long> copies = Mails.copiesFor(target);
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(copies).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    }
}
