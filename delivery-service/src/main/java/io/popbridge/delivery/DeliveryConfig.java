package io.popbridge.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of the delivery service (keys {@code delivery.*}, kebab-case). */
@ConfigMapping(prefix = "delivery")
public interface DeliveryConfig {

    Retry retry();

    TargetDown targetDown();

    Smtp smtp();

    Consumer consumer();

    Admin admin();

    Ledger ledger();

    /** Backoff for temporary (4xx, ambiguous) failures, like Postfix's queue. */
    interface Retry {
        /** First retry after this. */
        @WithDefault("5m")
        Duration initialDelay();

        /** The delay doubles up to this. */
        @WithDefault("1h")
        Duration maxDelay();

        /** A recipient still failing this long after its first attempt is given up: fallback (or parked). */
        @WithDefault("5d")
        Duration giveUpAfter();

        /** How often due deferred deliveries are looked for. */
        @WithDefault("15s")
        Duration scanInterval();

        /** Deferred deliveries taken per scan. */
        @WithDefault("100")
        int batchSize();
    }

    /** When every target for a recipient is unreachable (refused, timeout, 421, TLS or AUTH failure). */
    interface TargetDown {
        /** The partition pauses this long after the first failure... */
        @WithDefault("2s")
        Duration initialPause();

        /** ...doubling up to this, so delivery resumes within this time of the target returning. */
        @WithDefault("30s")
        Duration maxPause();
    }

    interface Smtp {
        @WithDefault("30s")
        Duration connectTimeout();

        /** Reply timeout for commands (RFC 5321 suggests 5 minutes). */
        @WithDefault("5m")
        Duration readTimeout();

        /** Reply timeout after the end of the data (RFC 5321: 10 minutes). */
        @WithDefault("10m")
        Duration dataTimeout();

        /** Idle pooled connections are closed after this. */
        @WithDefault("20s")
        Duration idleTimeout();

        /** How long a delivery waits for a free pooled connection. */
        @WithDefault("2m")
        Duration leaseTimeout();
    }

    interface Consumer {
        @WithDefault("delivery-service")
        String groupId();

        @WithDefault("100")
        int maxPollRecords();

        /**
         * Messages delivered at once (SMTP transactions in flight, bounded too by each target's maxConnections).
         * Records of one pbid are delivered one after the other.
         */
        @WithDefault("8")
        int parallelism();

        /** Start the consumer at boot (off only for tests of other parts). */
        @WithDefault("true")
        boolean enabled();
    }

    interface Ledger {
        /**
         * How long rows of recipients delivered (or sent to the fallback) are kept: a replay of their pbid within
         * this window is recognised and not sent again. Deferred and parked rows stay until they end.
         */
        @WithDefault("P30D")
        Duration retention();

        /** How often older rows are deleted. */
        @WithDefault("1h")
        String cleanupEvery();
    }

    interface Admin {
        /** Where parked-mail notifications go; none: log and metric only. */
        Optional<String> notifyAddress();
    }
}
