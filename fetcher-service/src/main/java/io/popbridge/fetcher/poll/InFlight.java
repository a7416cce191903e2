package io.popbridge.fetcher.poll;

import io.popbridge.fetcher.FetcherConfig;
import io.popbridge.fetcher.message.MessageRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages this fetcher published that are still in the pipeline: not final (delivered, redirected, parked, a
 * duplicate) and not waiting for a delivery retry either. A poll waits while {@code fetcher.poll.max-in-flight} of
 * them are on their way, so it does not run far ahead of what the pipeline delivers: a burst waits on the POP3 server instead of in Kafka, and a message's time from RETR to
 * Exchange's 250 stays short. Entries older than {@code fetcher.poll.in-flight-expiry} no longer count (a stalled
 * router or Exchange must not stop fetching for good; mail is safe in Kafka).
 */
@Startup // its gauge is exported from the start
@ApplicationScoped
public class InFlight {
    private static final long STEP_MS = 10;

    @Inject
    FetcherConfig config;

    /**
     * With several fetcher replicas the outcome of a message may be consumed by another replica: while full, the
     * shared message table tells which of ours settled (at most every {@link #LOOKUP_EVERY_MS}).
     */
    @Inject
    MessageRepository messages;

    private static final long LOOKUP_EVERY_MS = 200;
    private volatile long lastLookup = System.nanoTime() - LOOKUP_EVERY_MS * 2_000_000;

    private final ConcurrentHashMap<String, Long> published = new ConcurrentHashMap<>();

    @Inject
    void register(MeterRegistry registry) {
        Gauge.builder("popbridge.fetcher.messages.in.flight", published, ConcurrentHashMap::size)
                .description("Published messages not yet delivered or deferred (a poll waits above fetcher.poll.max-in-flight)")
                .register(registry);
    }

    void published(String pbid) {
        if (config != null && config.poll().maxInFlight() <= 0) {
            return; // no limit: nothing to count
        }
        published.put(pbid, System.nanoTime());
    }

    /** Called with the pbids the outcome consumer found settled (final, or deferred to a retry). */
    public void finished(Collection<String> pbids) {
        pbids.forEach(published::remove);
    }

    public int count() {
        return published.size();
    }

    /** Waits until there is room or {@code fetcher.poll.in-flight-wait} passed; false if it gave up waiting. */
    boolean awaitRoom() throws InterruptedException {
        return awaitRoom(config.poll().maxInFlight(), config.poll().inFlightWait(), config.poll().inFlightExpiry());
    }

    boolean awaitRoom(int max, Duration wait, Duration expiry) throws InterruptedException {
        if (max <= 0 || published.size() < max) {
            return true;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (full(max, expiry)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(STEP_MS);
        }
        return true;
    }

    private boolean full(int max, Duration expiry) {
        if (published.size() < max) {
            return false;
        }
        long stale = System.nanoTime() - expiry.toNanos();
        published.values().removeIf(at -> at - stale < 0);
        long now = System.nanoTime();
        if (published.size() >= max && messages != null && now - lastLookup > LOOKUP_EVERY_MS * 1_000_000) {
            lastLookup = now;
            try {
                published.keySet().removeAll(messages.settled(List.copyOf(published.keySet())));
            } catch (RuntimeException e) {
                // the database is unavailable: the bounded wait still applies
            }
        }
        return published.size() >= max;
    }
}
