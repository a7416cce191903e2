package io.popbridge.fetcher.poll;

import java.time.Instant;

/** One poll in {@code GET /api/v1/accounts/{id}/polls} (and the answer of {@code POST /{id}/poll}). */
public record PollView(
        long id,
        Instant startedAt,
        Instant finishedAt,
        long durationMillis,
        PollOutcome outcome,
        String error,
        String reply,
        Integer messagesOnServer,
        int messagesFetched,
        long bytesFetched,
        int messagesDeleted,
        int messagesOversized,
        String owner) {
}
