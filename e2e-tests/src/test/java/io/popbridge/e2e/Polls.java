package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * The fetcher's poll-now and the ISP mailbox. Accounts poll every 60 s at the least, so tests that wait for
 * DELETE_AFTER_DELIVERY ask for polls: a poll deletes what became final since the one before.
 */
final class Polls {
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(90);

    private Polls() {
    }

    /** One poll of the account, run to its end; 409: another poll of it is running (the first after creation). */
    static void pollNow(String account) {
        Stack.fetcher().post("/api/v1/accounts/" + account + "/poll", null).expect(200, 409);
    }

    /** Polls until the ISP mailbox is empty: every message had its final outcomes and was deleted. */
    static void awaitIspEmpty(String account, String login) {
        await().atMost(DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            pollNow(account);
            assertThat(Stack.isp().count(login)).as("messages left in the ISP mailbox %s", login).isZero();
        });
    }
}
