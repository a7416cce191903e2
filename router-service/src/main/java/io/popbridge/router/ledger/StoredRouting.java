package io.popbridge.router.ledger;

import io.popbridge.contract.OutcomeEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decision as published, kept so that the same pbid consumed again is published identically.
 *
 * @param routedHeaders   Kafka headers of the routed record, empty if no routed record was published
 * @param removedHeaders  mail header names cut out of the message before publishing
 */
public record StoredRouting(OutcomeEvent outcome, Optional<Map<String, String>> routedHeaders, List<String> removedHeaders) {
    public StoredRouting {
        routedHeaders = routedHeaders.map(Map::copyOf);
        removedHeaders = List.copyOf(removedHeaders);
    }
}
