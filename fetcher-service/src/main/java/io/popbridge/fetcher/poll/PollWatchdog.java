package io.popbridge.fetcher.poll;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action when a poll outlives its time limit. The read timeout only bounds the silence between two bytes;
 * a server that trickles a byte now and then would otherwise hold a poll slot and the account's lease for ever.
 */
@ApplicationScoped
public class PollWatchdog {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "poll-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** A running watch: closing it before the limit cancels the action. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** Runs {@code onExpiry} after {@code limit} unless the returned watch is closed first. */
    public Watch watch(Duration limit, Runnable onExpiry) {
        ScheduledFuture<?> expiry = timer.schedule(onExpiry, limit.toMillis(), TimeUnit.MILLISECONDS);
        return () -> expiry.cancel(false);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
