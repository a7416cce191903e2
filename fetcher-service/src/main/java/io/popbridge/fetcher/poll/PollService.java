package io.popbridge.fetcher.poll;

import io.popbridge.contract.FetchedMail;
import io.popbridge.contract.Pbid;
import io.popbridge.fetcher.FetcherConfig;
import io.popbridge.fetcher.account.Account;
import io.popbridge.fetcher.account.Pop3Endpoints;
import io.popbridge.fetcher.ledger.LedgerEntry;
import io.popbridge.fetcher.ledger.LedgerRepository;
import io.popbridge.fetcher.ledger.Waiting;
import io.popbridge.fetcher.metrics.FetcherMetrics;
import io.popbridge.fetcher.notify.AdminNotifier;
import io.popbridge.fetcher.pop3.Pop3Client;
import io.popbridge.fetcher.pop3.Pop3Exception;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.MDC;

/**
 * One poll of one leased account: login, UIDL+LIST, diff against the ledger, RETR new messages within the size
 * limit (pipelined when the server allows), publish each and wait for the broker's acks per batch, then record
 * the batch in the ledger — in that order; then DELE what retention allows, QUIT, record the outcome.
 */
@ApplicationScoped
public class PollService {
    @Inject
    FetcherConfig config;

    @Inject
    Pop3Endpoints endpoints;

    @Inject
    LedgerRepository ledger;

    @Inject
    LeaseRepository leases;

    @Inject
    PollRepository polls;

    @Inject
    FetchedPublisher publisher;

    @Inject
    InFlight inFlight;

    @Inject
    FetcherMetrics metrics;

    @Inject
    AdminNotifier notifier;

    @Inject
    PollHooks hooks;

    @Inject
    PollWatchdog watchdog;

    /** A message on the server this poll will fetch. */
    private record Candidate(int number, String uidl, long size) {
    }

    /** Polls a leased account, records the outcome and releases the lease. */
    public PollReport poll(Account account, String owner) {
        return poll(account, owner, config.poll().maxDuration());
    }

    /** As {@link #poll(Account, String)}, ended with TIMEOUT after {@code maxDuration}. */
    PollReport poll(Account account, String owner, Duration maxDuration) {
        MDC.put("account", account.id().toString());
        metrics.ensure(account.id(), account.pollIntervalSeconds(), account.enabled());
        try {
            Instant started = Instant.now();
            Session session = new Session(account, owner, started);
            PollReport report;
            try (PollWatchdog.Watch watch = watchdog.watch(maxDuration, () -> session.expire(maxDuration))) {
                report = session.run();
            } catch (Pop3Exception e) {
                report = session.failed(PollOutcome.of(e.kind()), e.getMessage(), e.reply());
            } catch (RuntimeException e) {
                Log.errorf(e, "poll of account %s failed internally", account.id());
                report = session.failed(PollOutcome.PROTOCOL_ERROR, "internal error: " + e.getMessage(), null);
            }
            FinishedPoll finished = polls.finish(report, nextPollAt(account, report.finishedAt()));
            metrics.poll(account.id(), report.outcome(), report.duration(), finished.consecutiveFailures(), report.finishedAt());
            if (report.outcome() == PollOutcome.OK) {
                metrics.mailbox(account.id(), report.messagesWaiting(), report.oldestWaitingAt(), report.messagesOversized());
            }
            notifyAdmin(account, report, finished);
            Log.infof("poll %s: %s fetched=%d deleted=%d oversized=%d in %d ms%s", account.name(), report.outcome(),
                    report.messagesFetched(), report.messagesDeleted(), report.messagesOversized(), report.duration().toMillis(),
                    report.error() == null ? "" : " (" + report.error() + ")");
            return report;
        } finally {
            MDC.remove("account");
        }
    }

    private Instant nextPollAt(Account account, Instant finished) {
        double jitter = config.poll().jitter();
        double factor = 1 + (jitter > 0 ? ThreadLocalRandom.current().nextDouble(-jitter, jitter) : 0);
        return finished.plusMillis((long) (account.pollIntervalSeconds() * 1000L * factor));
    }

    private void notifyAdmin(Account account, PollReport report, FinishedPoll finished) {
        if (report.outcome() == PollOutcome.OK && finished.failingNotified()) {
            if (notifier.recovered(account, report)) { // else tried again after the next successful poll
                polls.failingNotified(account.id(), false);
            }
        } else if (report.outcome() != PollOutcome.OK && !finished.failingNotified()
                && finished.consecutiveFailures() >= config.notification().afterFailures()) {
            if (notifier.failing(account, report, finished.consecutiveFailures())) {
                polls.failingNotified(account.id(), true);
            }
        }
    }

    /** The state of one poll. */
    private final class Session {
        private final Account account;
        private final String owner;
        private final Instant started;
        private final UUID id;
        private int onServer;
        private int fetched;
        private long bytes;
        private int deleted;
        private int oversized;
        private volatile Pop3Client connection;
        private volatile String expired;

        Session(Account account, String owner, Instant started) {
            this.account = account;
            this.owner = owner;
            this.started = started;
            this.id = account.id();
        }

        /** From the watchdog's thread: the session's connection is cut, so its blocked read ends now. */
        void expire(Duration limit) {
            long seconds = Math.max(1, limit.toSeconds());
            expired = "poll stopped after " + (seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s")
                    + " (fetcher.poll.max-duration)";
            Pop3Client client = connection;
            if (client != null) {
                client.abort(expired);
            }
        }

        private Pop3Client connect() throws Pop3Exception {
            Pop3Client client = Pop3Client.connect(endpoints.of(account));
            connection = client;
            if (expired != null) { // expired while connecting
                client.abort(expired);
            }
            return client;
        }

        PollReport run() throws Pop3Exception {
            Pop3Client client = connect();
            try {
                client.login();
                Map<Integer, String> uidls = client.uidl();
                Map<Integer, Long> sizes = client.list();
                onServer = uidls.size();
                Map<String, String> known = ledger.known(id);
                Set<String> present = new HashSet<>(uidls.values());
                ledger.prune(id, known.keySet().stream().filter(u -> !present.contains(u)).toList());
                List<Candidate> fresh = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (Map.Entry<Integer, String> e : uidls.entrySet()) {
                    if (!known.containsKey(e.getValue()) && seen.add(e.getValue())) {
                        long size = sizes.getOrDefault(e.getKey(), 0L);
                        if (size > account.maxMessageBytes()) {
                            oversized++;
                        } else {
                            fresh.add(new Candidate(e.getKey(), e.getValue(), size));
                        }
                    }
                }
                if (oversized > 0) {
                    Log.warnf("account %s: %d message(s) over the size limit of %d bytes stay on the server",
                            account.name(), oversized, account.maxMessageBytes());
                }
                fetch(client, fresh);
                deleteAllowed(client, uidls);
            } finally {
                client.close();
            }
            Waiting waiting = ledger.waiting(id);
            return report(PollOutcome.OK, null, null, waiting.count() + oversized, waiting.oldest());
        }

        PollReport failed(PollOutcome outcome, String error, String reply) {
            return report(outcome, error, reply, 0, null);
        }

        private PollReport report(PollOutcome outcome, String error, String reply, int waiting, Instant oldest) {
            return new PollReport(id, owner, started, Instant.now(), outcome, error, reply, onServer, fetched, bytes,
                    deleted, oversized, waiting, oldest);
        }

        /** RETR with a window of pipelined commands; publish; every batch: acks, then ledger. */
        private void fetch(Pop3Client client, List<Candidate> fresh) throws Pop3Exception {
            if (fresh.isEmpty()) {
                return;
            }
            int window = client.supportsPipelining() ? Math.max(1, config.poll().retrWindow()) : 1;
            Batch batch = new Batch();
            int sent = 0;
            boolean throttled = true;
            try {
                for (int read = 0; read < fresh.size(); read++) {
                    if (throttled && sent < fresh.size() && sent - read < window && !awaitRoom()) {
                        throttled = false; // the pipeline is stalled: mail is safe in Kafka, fetch on
                        Log.infof("poll %s: %d messages still on their way after %s; fetching on without waiting",
                                account.name(), inFlight.count(), config.poll().inFlightWait());
                    }
                    while (sent < fresh.size() && sent - read < window) {
                        client.sendRetr(fresh.get(sent++).number());
                    }
                    client.flush();
                    Candidate c = fresh.get(read);
                    byte[] raw = client.readRetr(c.size());
                    batch.publish(c, raw);
                    if (batch.count() >= config.poll().batchMessages() || batch.bytes >= config.poll().batchBytes()) {
                        batch.commit();
                    }
                }
            } catch (Pop3Exception e) {
                // what arrived completely is published; record it so the next poll does not fetch it again
                try {
                    batch.commit();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            batch.commit();
        }

        /** Room for more messages on their way (see {@link InFlight}); false if the wait timed out. */
        private boolean awaitRoom() {
            try {
                return inFlight.awaitRoom();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** DELE what retention allows, bounded per session; QUIT commits; more sessions for the rest. */
        private void deleteAllowed(Pop3Client first, Map<Integer, String> listing) throws Pop3Exception {
            Set<String> allowed = ledger.deletable(id, account.retention());
            Pop3Client client = first;
            Map<Integer, String> current = listing;
            int sessions = 0;
            while (true) {
                List<Integer> numbers = new ArrayList<>();
                List<String> uidls = new ArrayList<>();
                for (Map.Entry<Integer, String> e : current.entrySet()) {
                    if (allowed.contains(e.getValue()) && numbers.size() < config.poll().maxDeletesPerSession()) {
                        numbers.add(e.getKey());
                        uidls.add(e.getValue());
                    }
                }
                if (!numbers.isEmpty()) {
                    client.deleAll(numbers);
                }
                client.quit();
                sessions++;
                if (numbers.isEmpty()) {
                    return;
                }
                ledger.deleted(id, uidls);
                metrics.deleted(id, uidls.size());
                deleted += uidls.size();
                uidls.forEach(allowed::remove);
                boolean more = current.values().stream().anyMatch(allowed::contains);
                if (!more || sessions >= config.poll().maxDeleteSessions()) {
                    return;
                }
                if (!leases.renew(id, owner, config.poll().lease())) {
                    throw new IllegalStateException("lease lost during deletes");
                }
                client = connect();
                client.login();
                current = client.uidl();
            }
        }

        /** Messages published but not yet recorded; acks are awaited before the ledger write. */
        private final class Batch {
            private final Map<LedgerEntry, Future<RecordMetadata>> pending = new LinkedHashMap<>();
            private long bytes;

            int count() {
                return pending.size();
            }

            void publish(Candidate c, byte[] raw) {
                String pbid = Pbid.of(id.toString(), c.uidl());
                Instant fetchedAt = Instant.now();
                FetchedMail mail = new FetchedMail(pbid, id.toString(), account.name(), c.uidl(), fetchedAt, raw.length,
                        account.source(), account.routing());
                pending.put(new LedgerEntry(c.uidl(), pbid, raw.length, fetchedAt), publisher.publish(mail, raw));
                inFlight.published(pbid);
                bytes += raw.length;
            }

            /** Waits for every ack, records the acknowledged messages, fails if any publish failed. */
            void commit() {
                if (pending.isEmpty()) {
                    return;
                }
                List<LedgerEntry> acked = new ArrayList<>();
                RuntimeException failure = null;
                long deadline = System.nanoTime() + config.poll().ackTimeout().toNanos();
                for (Map.Entry<LedgerEntry, Future<RecordMetadata>> e : pending.entrySet()) {
                    try {
                        e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        acked.add(e.getKey());
                    } catch (ExecutionException | TimeoutException ex) {
                        failure = failure != null ? failure : new IllegalStateException("publish to Kafka failed: "
                                + (ex.getCause() == null ? ex : ex.getCause()).toString(), ex);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        failure = new IllegalStateException("interrupted while waiting for Kafka acks", ex);
                        break;
                    }
                }
                pending.clear();
                bytes = 0;
                hooks.runBeforeLedgerWrite();
                ledger.record(id, acked);
                fetched += acked.size();
                long ackedBytes = acked.stream().mapToLong(LedgerEntry::size).sum();
                Session.this.bytes += ackedBytes;
                metrics.fetched(id, acked.size(), ackedBytes);
                if (failure != null) {
                    throw failure;
                }
                if (!leases.renew(id, owner, config.poll().lease())) {
                    throw new IllegalStateException("lease lost during the poll");
                }
            }
        }
    }
}
