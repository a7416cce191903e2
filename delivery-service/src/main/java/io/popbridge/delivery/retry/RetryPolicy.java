package io.popbridge.delivery.retry;

import java.time.Duration;
import java.time.Instant;

/** When to try a temporarily failed recipient again, and when to give up (Postfix-like defaults in DeliveryConfig). */
public record RetryPolicy(Duration initialDelay, Duration maxDelay, Duration giveUpAfter) {

    /** Delay before attempt {@code attempts + 1}: the initial delay doubled per earlier attempt, capped. */
    public Duration delayAfter(int attempts) {
        Duration d = initialDelay;
        for (int i = 1; i < attempts && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    public boolean givenUp(Instant firstAttempt, Instant now) {
        return firstAttempt != null && firstAttempt.plus(giveUpAfter).isBefore(now);
    }
}
