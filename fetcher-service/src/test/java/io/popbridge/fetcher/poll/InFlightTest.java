package io.popbridge.fetcher.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The poll's brake: room when fewer than max are on their way, a bounded wait, and expiry of the forgotten. */
class InFlightTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void a_poll_waits_while_max_messages_are_on_their_way_and_goes_on_when_one_settles() throws Exception {
        InFlight inFlight = new InFlight();
        inFlight.published("a");
        assertThat(inFlight.awaitRoom(2, LONG, LONG)).isTrue();
        inFlight.published("b");

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await(inFlight, 2, LONG, LONG));
        Thread.sleep(200);
        assertThat(waiting).as("still waiting with 2 of 2 on their way").isNotDone();
        inFlight.finished(List.of("a"));
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void the_wait_is_bounded_and_a_limit_of_zero_means_no_limit() throws Exception {
        InFlight inFlight = new InFlight();
        inFlight.published("a");
        long start = System.nanoTime();
        assertThat(inFlight.awaitRoom(1, Duration.ofMillis(300), LONG)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(inFlight.awaitRoom(0, LONG, LONG)).isTrue();
    }

    @Test
    void a_message_that_never_settles_stops_counting_after_the_expiry() throws Exception {
        InFlight inFlight = new InFlight();
        inFlight.published("lost");
        Thread.sleep(150);
        assertThat(inFlight.awaitRoom(1, LONG, Duration.ofMillis(100))).isTrue();
        assertThat(inFlight.count()).isZero();
    }

    private static boolean await(InFlight inFlight, int max, Duration wait, Duration expiry) {
        try {
            return inFlight.awaitRoom(max, wait, expiry);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
