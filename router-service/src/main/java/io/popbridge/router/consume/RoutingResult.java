package io.popbridge.router.consume;

import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutedRecipient;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/** What the consumer publishes for one fetched record, or why it publishes nothing. */
public sealed interface RoutingResult {
    /** Prefix of the outcome reason of a message whose input broke the contract. */
    String MALFORMED = "malformed";

    /**
     * @param routedHeaders absent: no routed record (every recipient a duplicate, or unroutable)
     * @param routedValue   the bytes of the routed record
     * @param replay        the decision was stored by an earlier consumption of the same pbid
     */
    record Publish(OutcomeEvent outcome, Optional<Headers> routedHeaders, byte[] routedValue, boolean replay)
            implements RoutingResult {

        /** The {@code result} tag of popbridge_router_messages_total. */
        public String result() {
            if (outcome.reason() != null && outcome.reason().startsWith(MALFORMED)) {
                return "malformed";
            }
            return outcome.type() == OutcomeType.DUPLICATE ? "duplicate" : "routed";
        }

        public long deliveredCount() {
            return outcome.deliveredRecipients().size();
        }

        public java.util.List<RouteReason> reasons() {
            return outcome.recipients() == null ? java.util.List.of()
                    : outcome.recipients().stream().map(RoutedRecipient::reason).toList();
        }
    }

    /** Not even a pbid and an account id: nobody to tell; logged and counted. */
    record Skip(String why) implements RoutingResult {
    }
}
