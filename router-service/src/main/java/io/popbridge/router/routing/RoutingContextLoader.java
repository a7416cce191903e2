package io.popbridge.router.routing;

import io.popbridge.router.RouterConfig;
import io.popbridge.router.domain.DomainRepository;
import io.popbridge.router.rule.RuleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Accepted domains and rules for a decision. Read from the database (so every replica sees changes), but at most
 * once per {@code router.context-ttl}: two queries and a rule compilation per message would cost more than the
 * routing itself. A change through this replica's API takes effect at once ({@link #invalidate()}).
 */
@ApplicationScoped
public class RoutingContextLoader {
    private record Cached(RoutingContext context, long loadedAt) {
    }

    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private volatile Cached cached;

    @Inject
    DomainRepository domains;
    @Inject
    RuleRepository rules;
    @Inject
    RouterConfig config;
    @ConfigProperty(name = "popbridge.installation-id")
    String installationId;

    public RoutingContext load() {
        Cached current = cached;
        long now = System.nanoTime();
        if (current != null && now - current.loadedAt() < config.contextTtl().toNanos()) {
            return current.context();
        }
        long seen = generation.get();
        RoutingContext fresh = new RoutingContext(domains.fallbacks(), rules.ruleSet(), installationId,
                config.maxReceivedHeaders(), config.defaultFallback());
        if (generation.get() == seen) { // no change was committed while we read: the copy may be shared
            cached = new Cached(fresh, now);
        }
        return fresh;
    }

    /** Called after a committed change of domains or rules. */
    public void invalidate() {
        generation.incrementAndGet();
        cached = null;
    }
}
