package io.popbridge.delivery.submission;

import java.time.Instant;

/** A message to deliver: the raw bytes as routed and the metadata our trace headers and outcomes need. */
public record MailItem(String pbid, String accountId, String accountName, String uidl, Instant fetchedAt, String source,
                       String envelopeFrom, String fallback, byte[] raw, MessageHeaders headers) {
}
