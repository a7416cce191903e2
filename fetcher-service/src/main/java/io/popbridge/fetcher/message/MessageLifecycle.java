package io.popbridge.fetcher.message;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a message's outcome events into its status. Final means: a DUPLICATE, or a ROUTED whose every delivered
 * recipient's latest outcome is final (DELIVERED, FALLBACK, PARKED). Events may arrive in any order.
 * A ROUTED that names no delivered recipient (the router found no fallback mailbox) is never final: the message
 * was delivered nowhere, so it must stay on the POP3 server.
 */
public final class MessageLifecycle {
    /** The folded state; {@code finalAt} is set only for FINAL. */
    public record State(MessageStatus status, Instant finalAt) {
    }

    private MessageLifecycle() {
    }

    /** {@code events} in arrival order. */
    public static State fold(List<OutcomeEvent> events) {
        OutcomeEvent routed = null;
        Map<String, OutcomeEvent> latest = new HashMap<>();
        for (OutcomeEvent e : events) {
            if (e.type() == OutcomeType.DUPLICATE) {
                return new State(MessageStatus.FINAL, e.at());
            }
            if (e.type() == OutcomeType.ROUTED) {
                routed = e;
            } else if (e.recipient() != null) {
                OutcomeEvent before = latest.get(e.recipient().toLowerCase());
                // a final outcome is never undone by a late DEFERRED of an earlier attempt
                if (before == null || !before.type().isFinal() || e.type().isFinal() && !e.at().isBefore(before.at())) {
                    latest.put(e.recipient().toLowerCase(), e);
                }
            }
        }
        if (routed == null) {
            return new State(latest.isEmpty() ? MessageStatus.FETCHED : MessageStatus.ROUTED, null);
        }
        Instant finalAt = routed.at();
        boolean deferred = false;
        boolean allFinal = !routed.deliveredRecipients().isEmpty();
        for (String recipient : routed.deliveredRecipients()) {
            OutcomeEvent outcome = latest.get(recipient.toLowerCase());
            if (outcome == null || !outcome.type().isFinal()) {
                allFinal = false;
                deferred |= outcome != null && outcome.type() == OutcomeType.DEFERRED;
            } else if (outcome.at().isAfter(finalAt)) {
                finalAt = outcome.at();
            }
        }
        if (allFinal) {
            return new State(MessageStatus.FINAL, finalAt);
        }
        return new State(deferred ? MessageStatus.DEFERRED : MessageStatus.ROUTED, null);
    }
}
