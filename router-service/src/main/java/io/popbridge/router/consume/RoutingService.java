package io.popbridge.router.consume;

import io.popbridge.contract.ContractException;
import io.popbridge.contract.FetchedMail;
import io.popbridge.contract.KafkaHeaders;
import io.popbridge.contract.OutcomeEvent;
import io.popbridge.contract.OutcomeType;
import io.popbridge.contract.Pbid;
import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutedMail;
import io.popbridge.contract.RoutingMode;
import io.popbridge.contract.RoutingSettings;
import io.popbridge.router.RouterConfig;
import io.popbridge.router.address.AddressParser;
import io.popbridge.router.address.EnvelopeAddress;
import io.popbridge.router.ledger.DuplicateLedger;
import io.popbridge.router.ledger.RoutingStore;
import io.popbridge.router.ledger.StoredRouting;
import io.popbridge.router.message.RawMessage;
import io.popbridge.router.routing.RecipientDecision;
import io.popbridge.router.routing.Router;
import io.popbridge.router.routing.RoutingContext;
import io.popbridge.router.routing.RoutingContextLoader;
import io.popbridge.router.routing.RoutingDecision;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns fetched records into what must be published: decides (or finds the stored decision of an earlier
 * consumption of the same pbid), applies the duplicate ledger and stores the decisions, one transaction per batch.
 * Input problems never throw; only database failures do (they are temporary: the consumer retries).
 */
@ApplicationScoped
public class RoutingService {
    static final int MAX_REASON = 2000;

    @Inject
    RoutingContextLoader contextLoader;
    @Inject
    DuplicateLedger ledger;
    @Inject
    RoutingStore store;
    @Inject
    RouterConfig config;

    /**
     * Prepares a batch of consumed records in one transaction (one commit instead of one per message): earlier
     * decisions are looked up in one query and new ones saved in one batch. Returns one result per record, in order.
     */
    @Transactional
    public List<RoutingResult> prepare(List<ConsumerRecord<String, byte[]>> records) throws SQLException {
        Map<String, StoredRouting> decided = new HashMap<>(store.findAll(
                records.stream().map(ConsumerRecord::key).filter(Pbid::isValid).collect(Collectors.toSet())));
        Map<String, StoredRouting> fresh = new LinkedHashMap<>();
        Set<String> replayed = new HashSet<>();
        RoutingContext context = contextLoader.load();
        Instant now = Instant.now();
        // oldest first across partitions: of two copies of a message, the one fetched first is routed
        List<ConsumerRecord<String, byte[]>> byAge = new ArrayList<>(records);
        byAge.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
        Map<String, Decided> undecided = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : byAge) {
            String key = record.key();
            if (!Pbid.isValid(key) || decided.containsKey(key) || undecided.containsKey(key)) {
                continue;
            }
            String accountId = KafkaHeaders.optional(record.headers(), KafkaHeaders.ACCOUNT_ID, "");
            if (!accountId.isBlank()) {
                undecided.put(key, decide(key, record.headers(), record.value(), Instant.ofEpochMilli(record.timestamp()), context));
            }
        }
        Map<DuplicateLedger.Pair, String> owners = ledger.claimAll(claims(undecided), now, config.ledger().retention());
        undecided.forEach((key, d) -> {
            StoredRouting routing = publication(d.fetched(), applyLedger(key, d.decision(), owners), now);
            decided.put(key, routing);
            fresh.put(key, routing);
        });
        for (String lost : store.insertAll(now, fresh)) { // another consumer decided first: publish its decision
            decided.put(lost, store.findAll(Set.of(lost)).get(lost));
            fresh.remove(lost);
        }
        List<RoutingResult> results = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            String key = record.key();
            if (!Pbid.isValid(key)) {
                results.add(new RoutingResult.Skip("record key is not a pbid"));
            } else if (!decided.containsKey(key)) {
                results.add(new RoutingResult.Skip("no " + KafkaHeaders.ACCOUNT_ID + " header"));
            } else { // a second record of the same pbid in this batch is a replay of the first one's decision
                results.add(toPublish(decided.get(key), record.value(), !fresh.containsKey(key) || !replayed.add(key)));
            }
        }
        return results;
    }

    /** A decision before the duplicate ledger is applied. */
    private record Decided(FetchedMail fetched, RoutingDecision decision) {
    }

    private static Decided decide(String key, Headers headers, byte[] value, Instant recordTime, RoutingContext context) {
        RawMessage message = RawMessage.parse(value);
        FetchedMail fetched;
        RoutingDecision decision;
        try {
            fetched = FetchedMail.fromHeaders(key, headers);
            decision = decide(message, fetched.routing(), context);
        } catch (ContractException e) {
            fetched = lenientMetadata(key, KafkaHeaders.optional(headers, KafkaHeaders.ACCOUNT_ID, ""), headers, recordTime);
            decision = Router.malformedMetadata(message, e.getMessage(), context);
        }
        if (value == null || value.length == 0) { // nothing to deliver as addressed: the fallback gets the empty record
            decision = Router.malformedMetadata(message, "the record has no message bytes",
                    withAccountFallback(fetched.routing(), context));
        }
        return new Decided(fetched, decision);
    }

    /** Routing bugs must not stall the partition: an unexpected exception sends the message to the fallback. */
    private static RoutingDecision decide(RawMessage message, RoutingSettings routing, RoutingContext context) {
        try {
            return Router.route(message, routing, context);
        } catch (RuntimeException e) {
            Log.errorf(e, "routing failed unexpectedly; the message goes to the fallback mailbox");
            return Router.malformedMetadata(message, "internal routing error (" + e.getClass().getSimpleName() + ")",
                    withAccountFallback(routing, context));
        }
    }

    /** The context with the account's fallback as the last resort, for decisions that cannot look at recipients. */
    private static RoutingContext withAccountFallback(RoutingSettings routing, RoutingContext context) {
        return new RoutingContext(context.acceptedDomains(), context.rules(), context.installationId(),
                context.maxReceived(), accountFallback(routing, context).or(context::defaultFallback));
    }

    private static Optional<String> accountFallback(RoutingSettings routing, RoutingContext context) {
        return routing.domains().stream().map(AddressParser::normaliseDomain).flatMap(Optional::stream)
                .filter(context::accepts).map(d -> context.acceptedDomains().get(d)).findFirst();
    }

    /** The batch's claims on the duplicate ledger, oldest record first: of two copies the older one is routed. */
    private static List<DuplicateLedger.Claim> claims(Map<String, Decided> decisions) {
        List<DuplicateLedger.Claim> claims = new ArrayList<>();
        decisions.forEach((pbid, d) -> {
            String messageId = d.decision().summary().messageId();
            if (messageId != null) {
                d.decision().recipients().stream().filter(RoutingService::claimsLedger)
                        .forEach(r -> claims.add(new DuplicateLedger.Claim(messageId, ledgerKey(r), pbid)));
            }
        });
        return claims;
    }

    /** A second copy (another pbid) of a Message-ID for the same final recipient is a DUPLICATE. */
    private static RoutingDecision applyLedger(String pbid, RoutingDecision decision, Map<DuplicateLedger.Pair, String> owners) {
        String messageId = decision.summary().messageId();
        if (messageId == null) {
            return decision;
        }
        List<RecipientDecision> out = new ArrayList<>();
        for (RecipientDecision d : decision.recipients()) {
            String owner = claimsLedger(d) ? owners.get(new DuplicateLedger.Pair(messageId, ledgerKey(d))) : pbid;
            out.add(owner.equals(pbid) ? d : d.as(RouteReason.DUPLICATE, "a copy of " + messageId + " for "
                    + d.recipient().address() + " was already routed (" + owner + ")"));
        }
        return decision.withRecipients(out);
    }

    private static boolean claimsLedger(RecipientDecision d) {
        return d.reason() == RouteReason.ROUTED || d.reason() == RouteReason.GUESSED;
    }

    private static String ledgerKey(RecipientDecision d) {
        return AddressParser.parseOne(d.recipient().address()).map(EnvelopeAddress::key).orElse(d.recipient().address());
    }

    private StoredRouting publication(FetchedMail fetched, RoutingDecision decision, Instant now) {
        boolean routed = !decision.delivered().isEmpty();
        OutcomeType type = !routed && decision.allDuplicates() ? OutcomeType.DUPLICATE : OutcomeType.ROUTED;
        List<String> reasons = new ArrayList<>();
        decision.unroutable().ifPresent(reasons::add);
        reasons.addAll(decision.notes().stream().filter(n -> decision.unroutable().map(u -> !u.equals(n)).orElse(true)).toList());
        String reason = reasons.isEmpty() ? null : abbreviate(String.join("; ", reasons));
        if (decision.malformed() && (reason == null || !reason.startsWith(RoutingResult.MALFORMED))) {
            reason = RoutingResult.MALFORMED + ": " + (reason == null ? "unreadable input" : reason);
        }
        OutcomeEvent outcome = new OutcomeEvent(fetched.pbid(), type, fetched.accountId(), fetched.uidl(), null,
                decision.all(), reason, null, null, now, "router", decision.summary().messageId(),
                decision.summary().from(), decision.summary().subject());
        Optional<Map<String, String>> routedHeaders = Optional.empty();
        if (routed) {
            RoutedMail mail = RoutedMail.of(fetched, decision.envelopeFrom(), decision.delivered(), decision.fallback(), now);
            Map<String, String> map = new LinkedHashMap<>();
            for (Header h : mail.toHeaders()) {
                map.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            routedHeaders = Optional.of(map);
        }
        return new StoredRouting(outcome, routedHeaders, decision.removeHeaders());
    }

    private static RoutingResult.Publish toPublish(StoredRouting routing, byte[] value, boolean replay) {
        Optional<Headers> headers = routing.routedHeaders().map(map -> {
            RecordHeaders h = new RecordHeaders();
            map.forEach((k, v) -> KafkaHeaders.put(h, k, v));
            return h;
        });
        byte[] bytes = value == null ? new byte[0]
                : routing.removedHeaders().isEmpty() ? value : RawMessage.parse(value).without(routing.removedHeaders());
        return new RoutingResult.Publish(routing.outcome(), headers, bytes, replay);
    }

    /** What can be read of broken metadata: enough to publish an outcome (and a fallback record) for the pbid. */
    private static FetchedMail lenientMetadata(String key, String accountId, Headers headers, Instant recordTime) {
        Instant fetchedAt;
        try {
            fetchedAt = Instant.parse(KafkaHeaders.optional(headers, KafkaHeaders.FETCHED_AT, ""));
        } catch (DateTimeParseException e) {
            fetchedAt = recordTime;
        }
        return new FetchedMail(key, accountId, KafkaHeaders.optional(headers, KafkaHeaders.ACCOUNT_NAME, ""),
                KafkaHeaders.optional(headers, KafkaHeaders.UIDL, ""), fetchedAt, 0,
                KafkaHeaders.optional(headers, KafkaHeaders.SOURCE, ""),
                new RoutingSettings(RoutingMode.SINGLE, List.of(), List.of(), List.of(), false, false));
    }

    static String abbreviate(String s) {
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON - 3) + "...";
    }
}
