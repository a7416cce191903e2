package io.popbridge.fetcher.message;

import io.popbridge.contract.OutcomeEvent;

/** An outcome event with its Kafka coordinates (which make storing it idempotent). */
public record StoredOutcome(int partition, long offset, OutcomeEvent event) {
}
