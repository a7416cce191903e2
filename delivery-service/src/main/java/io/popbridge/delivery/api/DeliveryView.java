package io.popbridge.delivery.api;

import java.time.Instant;
import java.util.UUID;

/** A deferred or parked delivery as the API shows it. */
public record DeliveryView(UUID id, String pbid, String recipient, String originalRecipient, String state,
                           boolean toFallback, String fallback, String accountId, String accountName, String messageId,
                           String from, String subject, int attempts, boolean ambiguous, String lastReply, String reason,
                           Instant firstAttemptAt, Instant lastAttemptAt, Instant nextAttemptAt) {
}
