package io.popbridge.delivery.ledger;

import java.time.Instant;
import java.util.UUID;

/** One row of the delivery ledger, keyed by (pbid, recipient). */
public record LedgerRow(UUID id, String pbid, String recipient, String originalRecipient, DeliveryState state,
                        boolean toFallback, String fallbackReason, String accountId, String accountName, String uidl,
                        String source, String envelopeFrom, String fallback, Instant fetchedAt, String messageId,
                        String fromHeader, String subject, int attempts, boolean ambiguous, String lastReply, String reason,
                        Instant firstAttemptAt, Instant lastAttemptAt, Instant nextAttemptAt, Instant updatedAt) {
}
