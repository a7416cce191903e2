package io.popbridge.fetcher.message;

import java.time.Instant;
import java.util.UUID;

/** A message in {@code GET /api/v1/messages}. */
public record MessageView(
        String pbid,
        UUID accountId,
        String uidl,
        Long size,
        Instant fetchedAt,
        MessageStatus status,
        Instant finalAt,
        Instant deletedAt,
        String messageId,
        String from,
        String subject) {
}
