package io.popbridge.router.routing;

import io.popbridge.router.RouterConfig;
import io.popbridge.router.domain.DomainRepository;
import io.popbridge.router.rule.RuleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads accepted domains and rules for one decision (from the database, so every replica sees changes at once). */
@ApplicationScoped
public class RoutingContextLoader {
    @Inject
    DomainRepository domains;
    @Inject
    RuleRepository rules;
    @Inject
    RouterConfig config;
    @ConfigProperty(name = "popbridge.installation-id")
    String installationId;

    public RoutingContext load() {
        return new RoutingContext(domains.fallbacks(), rules.ruleSet(), installationId, config.maxReceivedHeaders(),
                config.defaultFallback());
    }
}
