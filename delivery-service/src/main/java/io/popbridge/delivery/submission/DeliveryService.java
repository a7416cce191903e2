package io.popbridge.delivery.submission;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.contract.Pbid;
import io.popbridge.contract.RoutedMail;
import io.popbridge.contract.RoutedRecipient;
import io.popbridge.delivery.DeliveryConfig;
import io.popbridge.delivery.DeliveryMetrics;
import io.popbridge.delivery.ledger.DeliveryState;
import io.popbridge.delivery.ledger.LedgerRepository;
import io.popbridge.delivery.ledger.LedgerRow;
import io.popbridge.delivery.outcome.OutcomePublisher;
import io.popbridge.delivery.outcome.ParkedNotifier;
import io.popbridge.delivery.retry.RetryPolicy;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * Turns attempts into durable outcomes: each recipient's result becomes a ledger row (deferred and parked ones
 * with the bytes) and an event on popbridge.outcomes.v1. A permanent failure goes to the fallback mailbox; a
 * failing fallback parks the message. Re-consumed recipients that already have a row are not sent again.
 */
@ApplicationScoped
public class DeliveryService {
    public static final String AMBIGUOUS = "AMBIGUOUS";

    @Inject
    SubmissionService submission;
    @Inject
    LedgerRepository ledger;
    @Inject
    OutcomePublisher publisher;
    @Inject
    ParkedNotifier notifier;
    @Inject
    DeliveryMetrics metrics;
    @Inject
    DeliveryConfig config;

    /** What became of a consumed record. */
    public enum Progress { DONE, TARGET_DOWN }

    /**
     * Delivers a consumed routed record. Returns {@link Progress#TARGET_DOWN} when a recipient could not be
     * attempted because no target was reachable: nothing was recorded for it, the record must be consumed again.
     * The outcome events go to {@code pending}; every ledger row is written before its event is sent, and the
     * caller awaits them ({@link #awaitPublished}) once per batch before it commits, instead of once per message.
     */
    public Progress deliverRouted(RoutedMail routed, byte[] raw, List<Future<?>> pending) {
        return deliverRouted(routed, raw, ledger.findByPbid(routed.pbid()), pending);
    }

    /** The same, with the pbid's ledger rows already read (for a whole poll in one query: {@link #ledgerRows}). */
    public Progress deliverRouted(RoutedMail routed, byte[] raw, List<LedgerRow> rows, List<Future<?>> pending) {
        Map<String, LedgerRow> existing = new HashMap<>();
        rows.forEach(r -> existing.put(r.recipient(), r));
        MailItem item = new MailItem(routed.pbid(), routed.accountId(), routed.accountName(), routed.uidl(),
                routed.fetchedAt(), routed.source(), routed.envelopeFrom(), routed.fallback(), raw, MessageHeaders.parse(raw));
        Map<String, Rcpt> todo = new LinkedHashMap<>();
        for (RoutedRecipient rr : routed.recipients()) {
            if (!rr.reason().delivered() || todo.containsKey(rr.address())) {
                continue;
            }
            LedgerRow row = existing.get(rr.address());
            if (row != null) {
                if (row.state().isFinal()) {
                    pending.add(publisher.send(event(row))); // again: the first publish may not have been durable
                }
                continue; // a deferred row belongs to the retry scheduler
            }
            todo.put(rr.address(), rr.reason().toFallback()
                    ? new Rcpt(rr.address(), rr.original(), rr.address(), "router: " + rr.reason().name(), 0, null)
                    : Rcpt.direct(rr.address(), rr.original()));
        }
        boolean down = false;
        if (!todo.isEmpty()) {
            down = apply(item, submission.submit(item, List.copyOf(todo.values())), true, pending);
        }
        return down ? Progress.TARGET_DOWN : Progress.DONE;
    }

    /** The ledger rows of these pbids, by pbid (one query). */
    public Map<String, List<LedgerRow>> ledgerRows(Collection<String> pbids) {
        return ledger.findByPbids(pbids);
    }

    /** Waits until the broker acknowledged the outcome events of {@link #deliverRouted}: then an offset may advance. */
    public void awaitPublished(List<Future<?>> pending) {
        pending.forEach(f -> publisher.await(cast(f)));
        pending.clear();
    }

    /** Retries due ledger rows of one message. */
    public void retry(List<LedgerRow> rows) {
        LedgerRow first = rows.get(0);
        byte[] raw = ledger.loadBody(first.pbid()).orElse(null);
        if (raw == null) {
            Log.errorf("pbid %s: the stored bytes are missing; cannot retry %d recipient(s)", first.pbid(), rows.size());
            return;
        }
        MailItem item = new MailItem(first.pbid(), first.accountId(), first.accountName(), first.uidl(), first.fetchedAt(),
                first.source(), first.envelopeFrom(), first.fallback(), raw, MessageHeaders.parse(raw));
        List<Rcpt> rcpts = rows.stream().map(DeliveryService::rcptOf).toList();
        List<Future<?>> pending = new ArrayList<>();
        apply(item, submission.submit(item, rcpts), false, pending);
        pending.forEach(f -> publisher.await(cast(f)));
        ledger.dropBodyIfUnneeded(first.pbid());
    }

    private static Rcpt rcptOf(LedgerRow r) {
        Instant first = r.firstAttemptAt();
        if (r.toFallback()) {
            return new Rcpt(r.recipient(), r.originalRecipient(), r.fallback(), r.fallbackReason(), r.attempts(), first);
        }
        return new Rcpt(r.recipient(), r.originalRecipient(), r.recipient(), r.fallbackReason(), r.attempts(), first);
    }

    /** Records every result; returns true if some recipient was left unrecorded because its targets are down. */
    private boolean apply(MailItem item, Map<Rcpt, RecipientResult> results, boolean consumed, List<Future<?>> pending) {
        boolean down = false;
        Map<Rcpt, String> toFallback = new LinkedHashMap<>();
        List<Rcpt> notices = new ArrayList<>();
        for (Map.Entry<Rcpt, RecipientResult> e : results.entrySet()) {
            Rcpt rcpt = e.getKey();
            RecipientResult result = e.getValue();
            if (result instanceof RecipientResult.Temporary t && givenUp(rcpt)) {
                result = new RecipientResult.Permanent("gave up after " + config.retry().giveUpAfter() + ": " + t.reply());
            }
            if (result instanceof RecipientResult.Delivered d) {
                boolean redirected = !rcpt.smtpAddress().equals(rcpt.address());
                record(item, rcpt, redirected ? DeliveryState.FALLBACK : DeliveryState.DELIVERED, d.reply(),
                        redirected ? rcpt.fallbackReason() : null, false, null, pending);
                metrics.delivered(item.fetchedAt());
            } else if (result instanceof RecipientResult.Temporary t) {
                deferred(item, rcpt, t.reply(), t.reply(), false, pending);
            } else if (result instanceof RecipientResult.Ambiguous a) {
                deferred(item, rcpt, null, AMBIGUOUS, true, pending);
            } else if (result instanceof RecipientResult.Permanent p) {
                if (rcpt.toFallback() && p.contentRefused() && !rcpt.isNotice()) {
                    notices.add(rcpt.asNotice(p.reply())); // the fallback mailbox exists but refused this content
                } else if (rcpt.toFallback() || item.fallback().isEmpty()) {
                    park(item, rcpt, p.reply(), (rcpt.toFallback() ? "the fallback mailbox refused it: "
                            : "no fallback mailbox; permanent failure: ") + p.reply(), pending);
                } else {
                    toFallback.put(rcpt, "permanent failure for " + rcpt.address() + ": " + p.reply());
                }
            } else if (result instanceof RecipientResult.TargetDown td) {
                boolean fresh = rcpt.firstAttemptAt() == null;
                if (fresh && consumed && rcpt.smtpAddress().equals(rcpt.address())) {
                    down = true; // not recorded: the record is consumed again once the target is back
                } else if (fresh) {
                    deferred(item, rcpt, null, "target unavailable: " + td.detail(), false, pending);
                } else { // a retry: try again after the pause, not counted as an attempt
                    ledger.save(rowOf(item, rcpt, DeliveryState.DEFERRED, null, "target unavailable: " + td.detail(),
                            false, rcpt.attempts(), Instant.now().plus(config.targetDown().maxPause())));
                }
            }
        }
        if (!toFallback.isEmpty()) {
            List<Rcpt> redirected = new ArrayList<>();
            toFallback.forEach((r, reason) -> redirected.add(
                    new Rcpt(r.address(), r.original(), item.fallback(), reason, r.attempts(), r.firstAttemptAt())));
            // a target down for the fallback is recorded as deferred: the original's 5xx must not be lost
            apply(item, submission.submit(item, redirected), false, pending);
        }
        if (!notices.isEmpty()) {
            apply(item, submission.submit(item, notices), false, pending);
        }
        return down;
    }

    private RetryPolicy policy() {
        return new RetryPolicy(config.retry().initialDelay(), config.retry().maxDelay(), config.retry().giveUpAfter());
    }

    private boolean givenUp(Rcpt rcpt) {
        return policy().givenUp(rcpt.firstAttemptAt(), Instant.now());
    }

    private void deferred(MailItem item, Rcpt rcpt, String reply, String reason, boolean ambiguous, List<Future<?>> pending) {
        int attempts = rcpt.attempts() + 1;
        ledger.storeBody(item.pbid(), item.raw());
        LedgerRow row = rowOf(item, rcpt, DeliveryState.DEFERRED, reply, reason, ambiguous, attempts,
                Instant.now().plus(backoff(attempts)));
        ledger.save(row);
        metrics.result(ambiguous ? "ambiguous" : "deferred");
        pending.add(publisher.send(event(row)));
    }

    private void park(MailItem item, Rcpt rcpt, String reply, String reason, List<Future<?>> pending) {
        ledger.storeBody(item.pbid(), item.raw());
        LedgerRow row = rowOf(item, rcpt, DeliveryState.PARKED, reply, reason, false, rcpt.attempts() + 1, null);
        UUID id = ledger.save(row);
        metrics.result("parked");
        Log.errorf("pbid %s: parked (%s)", item.pbid(), reason);
        pending.add(publisher.send(event(row)));
        notifier.parked(id, row);
    }

    private void record(MailItem item, Rcpt rcpt, DeliveryState state, String reply, String reason, boolean ambiguous,
                        Instant next, List<Future<?>> pending) {
        LedgerRow row = rowOf(item, rcpt, state, reply, reason, ambiguous, rcpt.attempts() + 1, next);
        ledger.save(row);
        metrics.result(state.name().toLowerCase(java.util.Locale.ROOT));
        pending.add(publisher.send(event(row)));
    }

    private Duration backoff(int attempts) {
        return policy().delayAfter(attempts);
    }

    private static LedgerRow rowOf(MailItem item, Rcpt rcpt, DeliveryState state, String reply, String reason,
                                   boolean ambiguous, int attempts, Instant next) {
        Instant now = Instant.now();
        boolean redirected = !rcpt.smtpAddress().equals(rcpt.address());
        MessageHeaders h = item.headers();
        return new LedgerRow(UUID.randomUUID(), item.pbid(), rcpt.address(), rcpt.original(), state, redirected,
                rcpt.fallbackReason(), item.accountId(), item.accountName(), item.uidl(), item.source(), item.envelopeFrom(),
                item.fallback(), item.fetchedAt(), h.hasMessageId() ? h.messageId() : Pbid.syntheticMessageId(item.pbid()),
                h.from(), h.subject(), attempts, ambiguous, reply, reason,
                rcpt.firstAttemptAt() == null ? now : rcpt.firstAttemptAt(), now, next, now);
    }

    static OutcomeEvent event(LedgerRow r) {
        OutcomeType type = switch (r.state()) {
            case DELIVERED -> OutcomeType.DELIVERED;
            case DEFERRED -> OutcomeType.DEFERRED;
            case FALLBACK -> OutcomeType.FALLBACK;
            case PARKED -> OutcomeType.PARKED;
        };
        return new OutcomeEvent(r.pbid(), type, r.accountId(), r.uidl(), r.recipient(), null, r.reason(), r.lastReply(),
                r.attempts(), Instant.now(), "delivery", r.messageId(), r.fromHeader(), r.subject());
    }

    @SuppressWarnings("unchecked")
    private static <T> Future<T> cast(Future<?> f) {
        return (Future<T>) f;
    }
}
