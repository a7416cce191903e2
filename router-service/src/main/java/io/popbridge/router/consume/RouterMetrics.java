package io.popbridge.router.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.popbridge.contract.RouteReason;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The router's metrics as docs/metrics.md lists them; every series exists from start-up. */
@Startup
@ApplicationScoped
public class RouterMetrics {
    public static final List<String> RESULTS = List.of("routed", "duplicate", "malformed");

    private final Map<RouteReason, Counter> decisions = new EnumMap<>(RouteReason.class);
    private final Map<String, Counter> messages;
    private final DistributionSummary recipients;
    private final Timer duration;

    public RouterMetrics(MeterRegistry registry) {
        for (RouteReason reason : RouteReason.values()) {
            decisions.put(reason, Counter.builder("popbridge.router.decisions")
                    .description("Per-recipient routing decisions")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        messages = RESULTS.stream().collect(java.util.stream.Collectors.toMap(r -> r, r -> Counter.builder("popbridge.router.messages")
                .description("Fetched messages consumed").tag("result", r).register(registry)));
        recipients = DistributionSummary.builder("popbridge.router.recipients.per.message")
                .description("Delivered recipients per routed message").register(registry);
        duration = Timer.builder("popbridge.router.routing.duration")
                .description("Consume to publish acknowledged").register(registry);
    }

    public void published(RoutingResult.Publish result, long startNanos) {
        result.reasons().forEach(reason -> decisions.get(reason).increment());
        messages.get(result.result()).increment();
        if (result.routedHeaders().isPresent()) {
            recipients.record(result.deliveredCount());
        }
        duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public void skipped() {
        messages.get("malformed").increment();
    }
}
