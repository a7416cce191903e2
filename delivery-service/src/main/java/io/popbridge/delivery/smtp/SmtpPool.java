package io.popbridge.delivery.smtp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reusable connections to one target: at most {@code maxConnections} open at once, each carrying at most
 * {@code maxMessagesPerConnection} transactions, idle ones closed after {@code idleTimeout}.
 */
public final class SmtpPool implements AutoCloseable {
    private final SmtpEndpoint endpoint;
    private final int maxMessagesPerConnection;
    private final Duration idleTimeout;
    private final Semaphore permits;
    private final Deque<SmtpConnection> idle = new ArrayDeque<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    public SmtpPool(SmtpEndpoint endpoint, int maxConnections, int maxMessagesPerConnection, Duration idleTimeout) {
        this.endpoint = endpoint;
        this.maxMessagesPerConnection = Math.max(1, maxMessagesPerConnection);
        this.idleTimeout = idleTimeout;
        this.permits = new Semaphore(Math.max(1, maxConnections), true);
    }

    /** A leased connection; give it back with {@link Lease#close()}. */
    public final class Lease implements AutoCloseable {
        private final SmtpConnection connection;
        private final boolean reused;
        private boolean released;

        private Lease(SmtpConnection connection, boolean reused) {
            this.connection = connection;
            this.reused = reused;
        }

        public SmtpConnection connection() {
            return connection;
        }

        /** True if the connection already carried a transaction (a failure before data may be a stale socket). */
        public boolean reused() {
            return reused;
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            boolean keep = !closed && connection.reusable() && connection.transactions() < maxMessagesPerConnection;
            if (keep) {
                synchronized (idle) {
                    idle.push(connection);
                }
            } else {
                connection.quit();
                open.decrementAndGet();
            }
            permits.release();
        }
    }

    /** Waits for a free slot, then reuses an idle connection or opens a new one. */
    public Lease lease(Duration wait) throws SmtpException {
        try {
            if (!permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SmtpException("no free connection to " + endpoint.host() + " within " + wait, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmtpException("interrupted", null);
        }
        try {
            while (true) {
                SmtpConnection c;
                synchronized (idle) {
                    c = idle.poll();
                }
                if (c == null) {
                    break;
                }
                if (c.reusable() && c.idleNanos() < idleTimeout.toNanos()) {
                    return new Lease(c, true);
                }
                c.quit();
                open.decrementAndGet();
            }
            SmtpConnection fresh = SmtpConnection.open(endpoint);
            open.incrementAndGet();
            return new Lease(fresh, false);
        } catch (SmtpException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Closes idle connections that waited longer than the idle timeout. */
    public void closeIdle() {
        synchronized (idle) {
            idle.removeIf(c -> {
                if (c.idleNanos() >= idleTimeout.toNanos() || !c.reusable()) {
                    c.quit();
                    open.decrementAndGet();
                    return true;
                }
                return false;
            });
        }
    }

    public int openConnections() {
        return open.get();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.forEach(SmtpConnection::quit);
            open.addAndGet(-idle.size());
            idle.clear();
        }
    }
}
