package io.popbridge.router.routing;

import io.popbridge.router.rule.RuleSet;
import java.util.Map;
import java.util.Optional;

/**
 * Everything besides the message that a routing decision depends on, loaded once per message.
 *
 * @param acceptedDomains accepted domain (lower case) → its fallback mailbox
 * @param rules           address rules in precedence order
 * @param installationId  this installation's id (loop marker)
 * @param maxReceived     more Received headers than this is a loop
 * @param defaultFallback last-resort fallback mailbox when the account names no accepted domain
 */
public record RoutingContext(Map<String, String> acceptedDomains, RuleSet rules, String installationId, int maxReceived,
                             Optional<String> defaultFallback) {
    public RoutingContext {
        acceptedDomains = Map.copyOf(acceptedDomains);
    }

    public boolean accepts(String domain) {
        return acceptedDomains.containsKey(domain);
    }
}
