package io.popbridge.delivery.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy postfixLike = new RetryPolicy(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5));

    @Test
    void delays_start_at_five_minutes_and_double_up_to_an_hour() {
        assertThat(postfixLike.delayAfter(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(postfixLike.delayAfter(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(postfixLike.delayAfter(4)).isEqualTo(Duration.ofMinutes(40));
        assertThat(postfixLike.delayAfter(5)).isEqualTo(Duration.ofHours(1));
        assertThat(postfixLike.delayAfter(500)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void gives_up_five_days_after_the_first_attempt() {
        Instant first = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(postfixLike.givenUp(first, first.plus(Duration.ofDays(5)).minusSeconds(1))).isFalse();
        assertThat(postfixLike.givenUp(first, first.plus(Duration.ofDays(5)).plusSeconds(1))).isTrue();
        assertThat(postfixLike.givenUp(null, first)).isFalse();
    }
}
