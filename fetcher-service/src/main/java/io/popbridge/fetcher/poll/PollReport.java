package io.popbridge.fetcher.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The result of one poll, as recorded in the history and shown by the API. */
public record PollReport(
        UUID accountId,
        String owner,
        Instant startedAt,
        Instant finishedAt,
        PollOutcome outcome,
        String error,
        String reply,
        int messagesOnServer,
        int messagesFetched,
        long bytesFetched,
        int messagesDeleted,
        int messagesOversized,
        int messagesWaiting,
        Instant oldestWaitingAt) {

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
