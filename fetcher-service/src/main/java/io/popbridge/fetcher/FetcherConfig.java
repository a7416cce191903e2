package io.popbridge.fetcher;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of the fetcher (keys {@code fetcher.*} in application.properties). */
@ConfigMapping(prefix = "fetcher")
public interface FetcherConfig {
    /**
     * Lease owner id of this replica, unique among running replicas and stable across its restarts; defaults to
     * the host name (the pod name on Kubernetes). Set it when several fetchers run on one host.
     */
    Optional<String> instanceId();

    Poll poll();

    @WithName("notify")
    Notify notification();

    History history();

    interface Poll {
        /** Run the scheduler in this process (tests drive polls themselves). */
        @WithDefault("true")
        boolean schedulerEnabled();

        /** How often the scheduler looks for due accounts. */
        @WithDefault("1s")
        Duration tick();

        /** Polls running at once in this replica. */
        @WithDefault("8")
        int maxConcurrent();

        /** Polls running at once against one POP3 host in this replica (providers punish hammering). */
        @WithDefault("2")
        int maxPerHost();

        /** A lease not renewed for this long is taken over by another replica. */
        @WithDefault("5m")
        Duration lease();

        /** Relative jitter of the interval (0.1 = ±10 %), so accounts do not poll in lock-step. */
        @WithDefault("0.1")
        double jitter();

        @WithDefault("10s")
        Duration connectTimeout();

        /** No byte from the server for this long ends the poll with TIMEOUT. */
        @WithDefault("60s")
        Duration readTimeout();

        /**
         * A poll still running after this long is ended with TIMEOUT (what was fetched completely is kept; the next
         * poll goes on): a server trickling bytes cannot hold a poll slot and the lease for ever.
         */
        @WithDefault("30m")
        Duration maxDuration();

        /**
         * Published messages not yet final above which a poll waits before its next RETR (0 = no limit): keeps a
         * message's time from RETR to delivery short when a poll brings a burst (see InFlight).
         */
        @WithDefault("400")
        int maxInFlight();

        /** Longest wait for room in one poll; after that the poll fetches on without waiting. */
        @WithDefault("10s")
        Duration inFlightWait();

        /** A published message counts as in flight for at most this long. */
        @WithDefault("2m")
        Duration inFlightExpiry();

        /** Messages published before waiting for the broker's acks and writing the ledger in one batch. */
        @WithDefault("200")
        int batchMessages();

        /** Bytes published before the same (bounds the heap a batch needs). */
        @WithDefault("33554432")
        long batchBytes();

        /** RETR commands in flight when the server announces PIPELINING. */
        @WithDefault("8")
        int retrWindow();

        /** Deletes per POP3 session before QUIT and reconnect (what one dropped connection can risk). */
        @WithDefault("200")
        int maxDeletesPerSession();

        /** Sessions used for deletes in one poll; the rest waits for the next poll. */
        @WithDefault("10")
        int maxDeleteSessions();

        @WithDefault("2m")
        Duration ackTimeout();
    }

    interface History {
        /**
         * How long poll history and the trace of messages that are settled and gone from the POP3 server are kept
         * (each account's latest poll and every message still on its server stay).
         */
        @WithDefault("P30D")
        Duration retention();

        /** How often older history is deleted. */
        @WithDefault("1h")
        String cleanupEvery();
    }

    interface Notify {
        /** Admin address for "account failing" / "account recovered" mail; none = no mail. */
        Optional<String> adminAddress();

        /** Consecutive failed polls before the failing notice. */
        @WithDefault("3")
        int afterFailures();
    }
}
