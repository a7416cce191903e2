package io.popbridge.delivery.targets;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.popbridge.delivery.DeliveryConfig;
import io.popbridge.delivery.smtp.SmtpEndpoint;
import io.popbridge.delivery.smtp.SmtpPool;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The targets in memory with one connection pool each: which targets serve a domain (by priority), and the
 * per-target gauges (open connections, up). Reloaded after every committed change.
 */
@ApplicationScoped
public class TargetDirectory {
    @Inject
    TargetService targets;
    @Inject
    DeliveryConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    TransactionSynchronizationRegistry tsr;

    private volatile boolean stale = true;
    private volatile List<Target> snapshot = List.of();
    private final Map<UUID, SmtpPool> pools = new HashMap<>();
    private final Map<UUID, Target> pooled = new HashMap<>();
    private final Map<UUID, AtomicInteger> up = new HashMap<>();
    private final Map<UUID, List<Meter>> meters = new HashMap<>();
    private final Map<UUID, Long> failedAt = new ConcurrentHashMap<>(); // nanoTime of the last failure

    private final java.util.concurrent.ScheduledExecutorService reaper = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "smtp-idle-reaper");
                t.setDaemon(true);
                return t;
            });

    void onStart(@Observes StartupEvent event) {
        snapshot(); // registers the per-target series before the first delivery
        reaper.scheduleWithFixedDelay(this::closeIdleConnections, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        reaper.shutdownNow();
        synchronized (this) {
            pools.values().forEach(SmtpPool::close);
        }
    }

    /** Marks the snapshot stale once the current transaction commits. */
    public void reloadAfterCommit() {
        tsr.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    stale = true;
                }
            }
        });
    }

    public List<Target> snapshot() {
        if (stale) {
            reload();
        }
        return snapshot;
    }

    /** Targets for a recipient domain: those serving it, else the default targets; lowest priority first. */
    public List<Target> candidatesFor(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        List<Target> all = snapshot();
        List<Target> serving = all.stream().filter(t -> t.serves(d)).toList();
        List<Target> chosen = serving.isEmpty() ? all.stream().filter(Target::isDefault).toList() : serving;
        return chosen.stream().sorted(Comparator.comparingInt(Target::priority).thenComparing(Target::name)).toList();
    }

    public synchronized SmtpPool pool(Target target) {
        return pools.get(target.id());
    }

    public void markUp(Target target, boolean isUp) {
        if (isUp) {
            failedAt.remove(target.id());
        } else {
            failedAt.put(target.id(), System.nanoTime());
        }
        AtomicInteger flag;
        synchronized (this) {
            flag = up.get(target.id());
        }
        if (flag != null) {
            flag.set(isUp ? 1 : 0);
        }
    }

    /**
     * True while a connection to the target failed less than {@code delivery.target-down.initial-pause} ago: the
     * messages behind the one that found it down are not tried (each would wait for its own timeout) and come again
     * with their paused partition, when a new attempt is made. Other targets are not affected.
     */
    public boolean failedMomentsAgo(Target target) {
        Long at = failedAt.get(target.id());
        return at != null && System.nanoTime() - at < config.targetDown().initialPause().toNanos();
    }

    public void countAttempt(Target target) {
        registry.counter("popbridge.delivery.attempts", "target", target.id().toString()).increment();
    }

    public SmtpEndpoint endpoint(Target t) {
        DeliveryConfig.Smtp smtp = config.smtp();
        return new SmtpEndpoint(t.host(), t.port(), t.security(), t.verifyCertificate(), t.customCa(), t.username(),
                t.password(), t.authMechanism(), t.heloName(), smtp.connectTimeout(), smtp.readTimeout(), smtp.dataTimeout());
    }

    private synchronized void reload() {
        if (!stale) {
            return;
        }
        stale = false;
        List<Target> loaded;
        try {
            loaded = targets.loadAll();
        } catch (RuntimeException e) {
            stale = true;
            Log.warnf("cannot load the SMTP targets: %s", e.getMessage());
            return;
        }
        Map<UUID, Target> byId = new HashMap<>();
        loaded.forEach(t -> byId.put(t.id(), t));
        for (UUID id : List.copyOf(pools.keySet())) {
            Target now = byId.get(id);
            if (now == null || !now.equals(pooled.get(id))) {
                pools.remove(id).close();
                pooled.remove(id);
            }
            if (now == null) {
                meters.remove(id).forEach(registry::remove);
                up.remove(id);
            }
        }
        for (Target t : loaded) {
            if (!pools.containsKey(t.id())) {
                pools.put(t.id(), new SmtpPool(endpoint(t), t.maxConnections(), t.maxMessagesPerConnection(),
                        config.smtp().idleTimeout()));
                pooled.put(t.id(), t);
            }
            if (!meters.containsKey(t.id())) {
                AtomicInteger flag = new AtomicInteger(1);
                up.put(t.id(), flag);
                String tag = t.id().toString();
                meters.put(t.id(), List.of(
                        Gauge.builder("popbridge.delivery.connections.open", this, d -> d.openConnections(t.id()))
                                .tag("target", tag).description("open SMTP connections").register(registry),
                        Gauge.builder("popbridge.delivery.target.up", flag, AtomicInteger::get)
                                .tag("target", tag).description("1 if the last connection attempt succeeded").register(registry),
                        Counter.builder("popbridge.delivery.attempts").tag("target", tag)
                                .description("SMTP transactions attempted").register(registry)));
            }
        }
        snapshot = List.copyOf(loaded);
    }

    private synchronized double openConnections(UUID id) {
        SmtpPool pool = pools.get(id);
        return pool == null ? 0 : pool.openConnections();
    }

    void closeIdleConnections() {
        List<SmtpPool> current;
        synchronized (this) {
            current = List.copyOf(pools.values());
        }
        current.forEach(SmtpPool::closeIdle);
    }
}
