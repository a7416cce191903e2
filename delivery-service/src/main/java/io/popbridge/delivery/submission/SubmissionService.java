package io.popbridge.delivery.submission;

import io.popbridge.delivery.DeliveryConfig;
import io.popbridge.delivery.DeliveryMetrics;
import io.popbridge.delivery.smtp.SmtpBody;
import io.popbridge.delivery.smtp.SmtpException;
import io.popbridge.delivery.smtp.SmtpPool;
import io.popbridge.delivery.smtp.SmtpReply;
import io.popbridge.delivery.smtp.TransactionResult;
import io.popbridge.delivery.targets.Target;
import io.popbridge.delivery.targets.TargetDirectory;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hands a message to the targets: recipients grouped into one transaction per target (and per header variant:
 * a fallback delivery carries its own reason headers), failing over by priority when a target is unreachable.
 */
@ApplicationScoped
public class SubmissionService {
    @Inject
    TargetDirectory directory;
    @Inject
    DeliveryConfig config;
    @Inject
    DeliveryMetrics metrics;

    private TraceHeaderWriter trace;

    @Inject
    void init(@ConfigProperty(name = "popbridge.installation-id") String installationId) {
        this.trace = new TraceHeaderWriter(installationId);
    }

    /** Attempts every recipient once; returns one result per recipient, in the given order. */
    public Map<Rcpt, RecipientResult> submit(MailItem item, List<Rcpt> recipients) {
        Map<Rcpt, RecipientResult> results = new LinkedHashMap<>();
        Map<GroupKey, List<Rcpt>> groups = new LinkedHashMap<>();
        for (Rcpt r : recipients) {
            List<Target> candidates = directory.candidatesFor(r.domain());
            if (candidates.isEmpty()) {
                results.put(r, new RecipientResult.Temporary("no SMTP target serves " + r.domain() + " and there is no default target"));
                continue;
            }
            groups.computeIfAbsent(new GroupKey(candidates, r.fallbackReason(), r.toFallback() ? r.original() : null, r.notice()),
                    k -> new ArrayList<>()).add(r);
        }
        groups.forEach((key, group) -> results.putAll(submitGroup(item, key.candidates(), group)));
        Map<Rcpt, RecipientResult> ordered = new LinkedHashMap<>();
        recipients.forEach(r -> ordered.put(r, results.get(r)));
        return ordered;
    }

    private record GroupKey(List<Target> candidates, String fallbackReason, String original, String notice) {
    }

    private Map<Rcpt, RecipientResult> submitGroup(MailItem item, List<Target> candidates, List<Rcpt> group) {
        Rcpt first = group.get(0);
        SmtpBody body = first.isNotice()
                ? new SmtpBody(trace.noticePrefix(item, first), item.raw(), trace.noticeSuffix(item))
                : new SmtpBody(trace.prefix(item, first), item.raw());
        List<String> addresses = group.stream().map(Rcpt::smtpAddress).toList();
        String lastError = "no target";
        for (Target target : candidates) {
            SmtpPool pool = directory.pool(target);
            if (pool == null) {
                continue;
            }
            if (directory.failedMomentsAgo(target)) {
                lastError = target.name() + ": unavailable moments ago, not tried again yet";
                continue;
            }
            try {
                TransactionResult tx = transact(pool, target, item.envelopeFrom(), addresses, body);
                directory.markUp(target, true);
                return map(group, tx, target);
            } catch (SmtpException e) {
                if (e.dataSent()) {
                    directory.markUp(target, true);
                    metrics.reply("none");
                    Log.warnf("pbid %s: %s after the data to %s: ambiguous", item.pbid(), e.getMessage(), target.name());
                    return all(group, new RecipientResult.Ambiguous(e.getMessage()));
                }
                directory.markUp(target, false);
                lastError = target.name() + ": " + e.getMessage();
                Log.warnf("pbid %s: target %s unavailable: %s", item.pbid(), target.name(), e.getMessage());
            }
        }
        return all(group, new RecipientResult.TargetDown(lastError));
    }

    /** One transaction; a failure before the data on a reused connection (stale socket) is retried once on a new one. */
    private TransactionResult transact(SmtpPool pool, Target target, String from, List<String> rcpts, SmtpBody body)
            throws SmtpException {
        for (int attempt = 1; ; attempt++) {
            try (SmtpPool.Lease lease = pool.lease(config.smtp().leaseTimeout())) {
                directory.countAttempt(target);
                try {
                    return lease.connection().send(from, rcpts, body);
                } catch (SmtpException e) {
                    if (e.dataSent() || !lease.reused() || attempt > 1 || e.reply() != null) {
                        throw e;
                    }
                    Log.debugf("stale pooled connection to %s (%s); trying a new one", target.name(), e.getMessage());
                }
            }
        }
    }

    private Map<Rcpt, RecipientResult> map(List<Rcpt> group, TransactionResult tx, Target target) {
        Map<Rcpt, RecipientResult> out = new LinkedHashMap<>();
        SmtpReply deciding = tx.data() != null ? tx.data() : tx.mail().positive()
                ? tx.rcpt().stream().filter(r -> !r.positive()).findFirst().orElse(tx.mail()) : tx.mail();
        metrics.reply(deciding.replyClass());
        for (int i = 0; i < group.size(); i++) {
            SmtpReply reply = tx.replyFor(i);
            RecipientResult r;
            if (reply.code() >= 200 && reply.code() < 300) {
                r = new RecipientResult.Delivered(reply.toString(), target.name());
            } else if (reply.permanent()) {
                r = new RecipientResult.Permanent(reply.toString(), tx.data() != null && reply == tx.data());
            } else {
                r = new RecipientResult.Temporary(reply.toString()); // 4xx, and anything unexpected
            }
            out.put(group.get(i), r);
        }
        return out;
    }

    private static Map<Rcpt, RecipientResult> all(List<Rcpt> group, RecipientResult result) {
        Map<Rcpt, RecipientResult> out = new LinkedHashMap<>();
        group.forEach(r -> out.put(r, Objects.requireNonNull(result)));
        return out;
    }
}
