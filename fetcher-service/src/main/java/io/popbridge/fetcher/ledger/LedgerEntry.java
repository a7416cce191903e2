package io.popbridge.fetcher.ledger;

import java.time.Instant;

/** One acknowledged message: the broker has it, so the ledger may record it. */
public record LedgerEntry(String uidl, String pbid, long size, Instant fetchedAt) {
}
