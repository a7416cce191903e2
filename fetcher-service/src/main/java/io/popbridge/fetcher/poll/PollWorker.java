package io.popbridge.fetcher.poll;

import io.popbridge.fetcher.account.Account;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The polling loop of one replica (one lease owner): each tick leases due accounts up to the free slots, bounded
 * per POP3 host, and polls them on its own threads. Several workers with different owners may share one database.
 */
public final class PollWorker implements AutoCloseable {
    private final String owner;
    private final LeaseRepository leases;
    private final PollService polls;
    private final int maxConcurrent;
    private final int maxPerHost;
    private final Duration lease;
    private final ExecutorService pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> perHost = new ConcurrentHashMap<>();

    public PollWorker(String owner, LeaseRepository leases, PollService polls, int maxConcurrent, int maxPerHost, Duration lease) {
        this.owner = owner;
        this.leases = leases;
        this.polls = polls;
        this.maxConcurrent = maxConcurrent;
        this.maxPerHost = maxPerHost;
        this.lease = lease;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(maxConcurrent, r -> {
            Thread t = new Thread(r, "poll-" + owner + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public String owner() {
        return owner;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Leases and starts due polls; returns how many started. */
    public int tick() {
        int free = maxConcurrent - inFlight.get();
        if (free <= 0) {
            return 0;
        }
        List<String> reserved = new ArrayList<>();
        List<Account> leased;
        try {
            leased = leases.leaseDue(owner, free, lease, account -> {
                if (reserveHost(account.host())) {
                    reserved.add(account.host());
                    return true;
                }
                return false;
            });
        } catch (RuntimeException e) {
            reserved.forEach(this::releaseHost);
            Log.warnf("cannot lease due accounts: %s", e.getMessage());
            return 0;
        }
        for (Account account : leased) {
            inFlight.incrementAndGet();
            pool.execute(() -> {
                try {
                    polls.poll(account, owner);
                } catch (RuntimeException e) {
                    Log.errorf(e, "poll of %s could not be recorded; its lease expires", account.id());
                } finally {
                    releaseHost(account.host());
                    inFlight.decrementAndGet();
                }
            });
        }
        return leased.size();
    }

    private boolean reserveHost(String host) {
        AtomicInteger count = perHost.computeIfAbsent(host.toLowerCase(), h -> new AtomicInteger());
        while (true) {
            int n = count.get();
            if (n >= maxPerHost) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private void releaseHost(String host) {
        perHost.get(host.toLowerCase()).decrementAndGet();
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
