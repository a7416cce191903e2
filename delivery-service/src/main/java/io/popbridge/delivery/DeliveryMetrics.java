package io.popbridge.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The delivery metrics of docs/metrics.md (per-target gauges live in {@code TargetDirectory}). */
@ApplicationScoped
public class DeliveryMetrics {
    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> results = new ConcurrentHashMap<>();
    private final Map<String, Counter> replies = new ConcurrentHashMap<>();
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicLong deferredOldestAge = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private Timer latency;

    void onStart(@Observes StartupEvent event) {
        for (String r : new String[] {"delivered", "deferred", "fallback", "parked", "ambiguous"}) {
            results.put(r, Counter.builder("popbridge.delivery.results").tag("result", r)
                    .description("per-recipient results").register(registry));
        }
        for (String c : new String[] {"2xx", "4xx", "5xx", "none"}) {
            replies.put(c, Counter.builder("popbridge.delivery.smtp.replies").tag("class", c)
                    .description("replies to the final command of a transaction").register(registry));
        }
        latency = Timer.builder("popbridge.delivery.latency").description("fetched-at to 250")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofDays(5)).register(registry);
        Gauge.builder("popbridge.delivery.deferred", deferred, AtomicLong::get)
                .description("recipients waiting for a retry").register(registry);
        Gauge.builder("popbridge.delivery.deferred.oldest.age.seconds", deferredOldestAge, AtomicLong::get)
                .description("age of the oldest deferred recipient").register(registry);
        Gauge.builder("popbridge.delivery.parked", parked, AtomicLong::get).description("parked messages").register(registry);
    }

    public void result(String result) {
        results.get(result).increment();
    }

    public void reply(String replyClass) {
        Counter c = replies.get(replyClass);
        if (c != null) {
            c.increment();
        }
    }

    public void delivered(Instant fetchedAt) {
        latency.record(Duration.between(fetchedAt, Instant.now()).abs());
    }

    public void queue(long deferredCount, long oldestAgeSeconds, long parkedCount) {
        deferred.set(deferredCount);
        deferredOldestAge.set(oldestAgeSeconds);
        parked.set(parkedCount);
    }
}
