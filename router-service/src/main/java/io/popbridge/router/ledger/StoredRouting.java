package io.popbridge.router.ledger;

import io.popbridge.contract.OutcomeEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
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
        // insertion order is the header order on the wire: a replay must repeat it
        routedHeaders = routedHeaders.map(h -> Collections.unmodifiableMap(new LinkedHashMap<>(h)));
        removedHeaders = List.copyOf(removedHeaders);
    }
}
