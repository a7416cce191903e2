package io.popbridge.fetcher.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.popbridge.fetcher.poll.PollOutcome;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fetcher's metrics exactly as docs/metrics.md lists them. Per-account series are registered when the
 * account becomes known (start-up or create) so they exist before the first poll, and removed with the account.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class FetcherMetrics {
    /** Account status for {@code popbridge_fetcher_accounts}. */
    public enum Status { ok, failing, disabled }

    /** How an XOAUTH2 token request ended, for {@code popbridge_fetcher_oauth2_token_requests_total}. */
    public enum TokenOutcome { ok, refused, unavailable }

    @Inject
    MeterRegistry registry;

    private final Map<UUID, AccountMeters> accounts = new ConcurrentHashMap<>();
    private final Map<TokenOutcome, Counter> tokenRequests = new EnumMap<>(TokenOutcome.class);

    @PostConstruct
    void init() {
        for (Status status : Status.values()) {
            Gauge.builder("popbridge.fetcher.accounts", accounts,
                            all -> all.values().stream().filter(m -> m.status == status).count())
                    .tag("status", status.name()).description("accounts by status").register(registry);
        }
        for (TokenOutcome outcome : TokenOutcome.values()) {
            tokenRequests.put(outcome, Counter.builder("popbridge.fetcher.oauth2.token.requests").tag("outcome", outcome.name())
                    .description("XOAUTH2 access token requests to the providers' token endpoints").register(registry));
        }
    }

    public void tokenRequest(TokenOutcome outcome) {
        tokenRequests.get(outcome).increment();
    }

    /** Registers (or refreshes) the series of one account. */
    public void register(UUID id, int intervalSeconds, boolean enabled, int consecutiveFailures) {
        AccountMeters m = accounts.computeIfAbsent(id, key -> new AccountMeters(registry, key.toString()));
        m.interval = intervalSeconds;
        m.enabled = enabled;
        m.consecutiveFailures = consecutiveFailures;
        m.updateStatus();
    }

    /** Registers an account polled here but created through another replica (its failure count follows with the poll). */
    public void ensure(UUID id, int intervalSeconds, boolean enabled) {
        if (!accounts.containsKey(id)) {
            register(id, intervalSeconds, enabled, 0);
        }
    }

    /** Registers every known account and removes the series of accounts that no longer exist (other replicas' changes). */
    public void sync(Map<UUID, int[]> known) {
        known.forEach((id, v) -> register(id, v[0], v[1] == 1, v[2]));
        accounts.keySet().stream().filter(id -> !known.containsKey(id)).toList().forEach(this::remove);
    }

    public void remove(UUID id) {
        AccountMeters m = accounts.remove(id);
        if (m != null) {
            m.meters.forEach(registry::remove);
        }
    }

    /** Records a finished poll. */
    public void poll(UUID id, PollOutcome outcome, Duration duration, int consecutiveFailures, Instant finishedAt) {
        AccountMeters m = accounts.get(id);
        if (m == null) {
            return; // deleted while polling
        }
        m.polls.get(outcome).increment();
        m.duration.record(duration);
        m.consecutiveFailures = consecutiveFailures;
        m.lastPoll = finishedAt.getEpochSecond();
        m.updateStatus();
    }

    public void fetched(UUID id, int messages, long bytes) {
        AccountMeters m = accounts.get(id);
        if (m != null) {
            m.fetched.increment(messages);
            m.bytes.increment(bytes);
        }
    }

    public void deleted(UUID id, int messages) {
        AccountMeters m = accounts.get(id);
        if (m != null) {
            m.deleted.increment(messages);
        }
    }

    /** Mailbox figures after a successful poll: waiting (not final), the oldest of them, oversized. */
    public void mailbox(UUID id, int waiting, Instant oldestWaiting, int oversized) {
        AccountMeters m = accounts.get(id);
        if (m != null) {
            m.waiting = waiting;
            m.oldestWaiting = oldestWaiting == null ? 0 : oldestWaiting.getEpochSecond();
            m.oversized = oversized;
        }
    }

    private static final class AccountMeters {
        final List<Meter> meters = new ArrayList<>();
        final Map<PollOutcome, Counter> polls = new EnumMap<>(PollOutcome.class);
        final Timer duration;
        final Counter fetched;
        final Counter bytes;
        final Counter deleted;
        volatile int interval;
        volatile boolean enabled;
        volatile int consecutiveFailures;
        volatile long lastPoll;
        volatile int waiting;
        volatile long oldestWaiting;
        volatile int oversized;
        volatile Status status = Status.ok;

        AccountMeters(MeterRegistry registry, String account) {
            Tags tags = Tags.of("account", account);
            for (PollOutcome outcome : PollOutcome.values()) {
                Counter c = Counter.builder("popbridge.fetcher.polls").tags(tags).tag("outcome", outcome.name())
                        .description("finished polls").register(registry);
                polls.put(outcome, c);
                meters.add(c);
            }
            duration = Timer.builder("popbridge.fetcher.poll.duration").tags(tags).description("poll wall time").register(registry);
            fetched = Counter.builder("popbridge.fetcher.messages.fetched").tags(tags).description("messages published to Kafka").register(registry);
            bytes = Counter.builder("popbridge.fetcher.bytes.fetched").tags(tags).description("bytes published to Kafka").register(registry);
            deleted = Counter.builder("popbridge.fetcher.messages.deleted").tags(tags).description("DELE committed by QUIT").register(registry);
            meters.addAll(List.of(duration, fetched, bytes, deleted));
            gauge(registry, "popbridge.fetcher.messages.waiting", tags, "messages on the server not yet final", m -> m.waiting);
            gauge(registry, "popbridge.fetcher.oldest.waiting.age.seconds", tags, "age of the oldest waiting message",
                    m -> m.oldestWaiting == 0 ? 0 : Math.max(0, Instant.now().getEpochSecond() - m.oldestWaiting));
            gauge(registry, "popbridge.fetcher.messages.oversized", tags, "messages left on the server over the size limit", m -> m.oversized);
            gauge(registry, "popbridge.fetcher.consecutive.failures", tags, "failed polls in a row", m -> m.consecutiveFailures);
            gauge(registry, "popbridge.fetcher.last.poll.timestamp.seconds", tags, "epoch seconds of the last finished poll", m -> m.lastPoll);
            gauge(registry, "popbridge.fetcher.poll.interval.seconds", tags, "configured poll interval", m -> m.interval);
        }

        private void gauge(MeterRegistry registry, String name, Tags tags, String description,
                           java.util.function.ToDoubleFunction<AccountMeters> value) {
            meters.add(Gauge.builder(name, this, value).tags(tags).description(description).strongReference(true).register(registry));
        }

        void updateStatus() {
            status = !enabled ? Status.disabled : consecutiveFailures > 0 ? Status.failing : Status.ok;
        }
    }
}
