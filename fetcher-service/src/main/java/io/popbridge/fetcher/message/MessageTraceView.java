package io.popbridge.fetcher.message;

import io.popbridge.contract.RoutedRecipient;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/messages/{pbid}}: the message and its trace, fetched → routed → delivered … → deleted. */
public record MessageTraceView(MessageView message, List<Step> trace) {
    /**
     * One step; {@code type} is FETCHED, an {@link io.popbridge.contract.OutcomeType} name, or DELETED.
     */
    public record Step(String type, Instant at, String recipient, List<RoutedRecipient> recipients, String reason,
                       String smtpReply, Integer attempt, String service) {
    }
}
