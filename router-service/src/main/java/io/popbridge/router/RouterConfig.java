package io.popbridge.router;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Router settings ({@code router.*} in application.properties). */
@ConfigMapping(prefix = "router")
public interface RouterConfig {
    /** A message with more Received headers than this is a loop. */
    @WithDefault("50")
    int maxReceivedHeaders();

    /**
     * Last-resort fallback mailbox (must be in an accepted domain) for a message whose account names no accepted
     * domain, or whose metadata is unreadable. Without it such a message is reported as unroutable.
     */
    Optional<String> defaultFallback();

    /** How long a replica reuses the domains and rules it read (changes through another replica's API wait this long). */
    @WithDefault("1s")
    Duration contextTtl();

    Ledger ledger();

    Publish publish();

    interface Ledger {
        /** How long (Message-ID, recipient) pairs and routed decisions are remembered. */
        @WithDefault("P30D")
        Duration retention();

        /** How often expired ledger rows are deleted. */
        @WithDefault("1h")
        String cleanupEvery();
    }

    interface Publish {
        /** How long to wait for the broker to acknowledge the routed record and the outcome before retrying. */
        @WithDefault("60s")
        Duration timeout();

        /** Pause before retrying a message after a database or broker failure (the partition waits; nothing is skipped). */
        @WithDefault("2s")
        Duration retryBackoff();
    }
}
