package io.popbridge.fetcher.ledger;

import java.time.Instant;

/** Fetched messages still on the server whose outcome is not final, and the oldest fetch time among them. */
public record Waiting(int count, Instant oldest) {
}
