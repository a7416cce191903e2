package io.popbridge.fetcher.poll;

import java.time.Instant;
import java.util.UUID;

/** {@code GET /api/v1/accounts/{id}/status}: what an admin needs to see whether mail flows. */
public record AccountStatusView(
        UUID accountId,
        boolean enabled,
        Instant lastPollAt,
        Instant lastSuccessAt,
        PollOutcome lastOutcome,
        String lastError,
        String lastReply,
        int consecutiveFailures,
        int messagesOnServer,
        int messagesWaiting,
        Instant oldestWaitingAt,
        int messagesOversized,
        Instant nextPollAt,
        String leaseOwner) {
}
