package io.popbridge.router.routing;

import io.popbridge.contract.RouteReason;
import io.popbridge.contract.RoutingMode;
import io.popbridge.contract.RoutingSettings;
import io.popbridge.contract.TraceHeaders;
import io.popbridge.router.address.AddressParser;
import io.popbridge.router.address.EnvelopeAddress;
import io.popbridge.router.address.ParsedAddresses;
import io.popbridge.router.message.HeaderField;
import io.popbridge.router.message.RawMessage;
import io.popbridge.router.message.ReceivedHeader;
import io.popbridge.router.rule.RuleResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, per recipient, where a message goes. A pure function of the message, the account's routing settings
 * and the {@link RoutingContext}: the same input always gives the same decision (replays are identical).
 * The duplicate ledger is applied afterwards by the caller, since it needs the database.
 */
public final class Router {
    /** Guessed recipients come from these, in this order, only if the account allows it. */
    public static final List<String> GUESS_HEADERS = List.of("To", "Cc", "Resent-To", "Resent-Cc");

    private Router() {
    }

    /** A recipient found in the message or configuration, before rules. */
    record Candidate(EnvelopeAddress address, String source, boolean guessed) {
    }

    public static RoutingDecision route(RawMessage message, RoutingSettings routing, RoutingContext context) {
        List<String> notes = new ArrayList<>();
        if (message.fields().isEmpty()) {
            notes.add("malformed: no header fields found");
        }
        if (!message.blankLineSeen() && message.bodyStart() < message.bytes().length) {
            notes.add("malformed: no blank line between the header and the body (header section ends at byte "
                    + message.bodyStart() + ")");
        }
        Optional<String> fallback = fallback(routing, context);
        String envelopeFrom = envelopeFrom(message, notes);

        List<Candidate> candidates = routing.mode() == RoutingMode.SINGLE
                ? configuredTargets(routing, notes) : envelopeCandidates(message, routing, notes);
        List<RecipientDecision> decisions = decide(candidates, routing, context, notes);

        Optional<String> loop = loop(message, context);
        loop.ifPresent(why -> notes.add("loop: " + why));
        decisions = toFallback(decisions, loop, fallback.orElse(""));

        Optional<String> unroutable = Optional.empty();
        if (fallback.isEmpty() && decisions.stream().anyMatch(d -> d.reason().toFallback())) {
            String why = "no fallback mailbox: none of the account's domains " + routing.domains()
                    + " is an accepted domain";
            decisions.stream().filter(d -> d.reason().toFallback()).forEach(d -> notes.add(
                    "not delivered: " + d.reason() + " for '" + d.recipient().original() + "' (" + d.explanation() + ")"));
            notes.add(why);
            decisions = decisions.stream().filter(d -> !d.reason().toFallback()).toList();
            if (decisions.stream().noneMatch(d -> d.reason().delivered())) {
                unroutable = Optional.of(why + ", and nothing could be delivered as addressed");
            }
        }
        List<String> remove = routing.hideEnvelopeHeaders() ? envelopeHeaderNames(routing) : List.of();
        boolean malformed = notes.stream().anyMatch(n -> n.startsWith("malformed"));
        return new RoutingDecision(decisions, fallback.orElse(""), envelopeFrom, remove, notes, unroutable, malformed,
                MessageSummary.of(message));
    }

    /** A decision for a record whose metadata broke the contract: fallback if one is configured, else unroutable. */
    public static RoutingDecision malformedMetadata(RawMessage message, String why, RoutingContext context) {
        String note = "malformed metadata: " + why;
        Optional<String> fallback = context.defaultFallback();
        List<RecipientDecision> decisions = fallback.map(f -> List.of(RecipientDecision.of(f, f, "metadata",
                RouteReason.FALLBACK_NO_LOCAL_RECIPIENT, note))).orElse(List.of());
        Optional<String> unroutable = fallback.isPresent() ? Optional.empty()
                : Optional.of(note + "; no default fallback mailbox configured (router.default-fallback)");
        return new RoutingDecision(decisions, fallback.orElse(""), "", List.of(), List.of(note), unroutable, true,
                MessageSummary.of(message));
    }

    private static List<Candidate> configuredTargets(RoutingSettings routing, List<String> notes) {
        List<Candidate> out = new ArrayList<>();
        for (String target : routing.targets()) {
            Optional<EnvelopeAddress> address = AddressParser.parseOne(target);
            if (address.isPresent()) {
                out.add(new Candidate(address.get(), "account", false));
            } else {
                notes.add("configured target '" + target + "' is not an address: " + AddressParser.whyNot(target));
            }
        }
        if (routing.targets().isEmpty()) {
            notes.add("SINGLE account without targets");
        }
        return out;
    }

    private static List<Candidate> envelopeCandidates(RawMessage message, RoutingSettings routing, List<String> notes) {
        List<String> sources = routing.envelopeSources().isEmpty()
                ? RoutingSettings.DEFAULT_ENVELOPE_SOURCES : routing.envelopeSources();
        for (String source : sources) {
            List<Candidate> found = fromSource(message, source, notes);
            if (!found.isEmpty()) {
                return found;
            }
        }
        if (!routing.headerFallback()) {
            notes.add("no envelope header (" + String.join(", ", sources) + ") named a recipient; "
                    + "guessing from To/Cc is off for this account");
            return List.of();
        }
        notes.add("no envelope header (" + String.join(", ", sources) + ") named a recipient; guessing from "
                + String.join("/", GUESS_HEADERS));
        Map<String, Candidate> guessed = new LinkedHashMap<>();
        for (String header : GUESS_HEADERS) {
            for (HeaderField field : message.all(header)) {
                ParsedAddresses parsed = AddressParser.parseList(field.value());
                parsed.rejected().forEach(why -> notes.add(header + ": " + why));
                parsed.addresses().forEach(a -> guessed.putIfAbsent(a.key(), new Candidate(a, header, true)));
            }
        }
        return List.copyOf(guessed.values());
    }

    /** Only the topmost occurrence counts: lower ones were written by upstream hops, not by the ISP. */
    private static List<Candidate> fromSource(RawMessage message, String source, List<String> notes) {
        boolean receivedFor = source.equalsIgnoreCase(RoutingSettings.RECEIVED_FOR);
        Optional<HeaderField> field = message.topmost(receivedFor ? "Received" : source);
        if (field.isEmpty()) {
            return List.of();
        }
        String value = field.get().value();
        if (receivedFor) {
            Optional<String> clause = ReceivedHeader.forClause(value);
            if (clause.isEmpty()) {
                return List.of();
            }
            value = clause.get();
        }
        ParsedAddresses parsed = AddressParser.parseList(value);
        parsed.rejected().forEach(why -> notes.add(source + " (topmost): " + why));
        String name = receivedFor ? RoutingSettings.RECEIVED_FOR : field.get().name();
        return parsed.addresses().stream().map(a -> new Candidate(a, name, false)).toList();
    }

    private static List<RecipientDecision> decide(List<Candidate> candidates, RoutingSettings routing,
                                                  RoutingContext context, List<String> notes) {
        List<RecipientDecision> local = new ArrayList<>();
        List<RecipientDecision> foreign = new ArrayList<>();
        List<RecipientDecision> broken = new ArrayList<>();
        for (Candidate candidate : candidates) {
            RuleResult result = context.rules().rewrite(candidate.address());
            List<EnvelopeAddress> finals;
            String source = candidate.source();
            if (result instanceof RuleResult.Rewritten rewritten) {
                finals = rewritten.addresses();
                source = source + "+" + rewritten.rule().tag();
            } else if (result instanceof RuleResult.Broken b) {
                notes.add(b.why());
                broken.add(RecipientDecision.of("", candidate.address().address(), source + "+" + b.rule().tag(),
                        RouteReason.FALLBACK_NO_LOCAL_RECIPIENT, b.why()));
                continue;
            } else {
                finals = List.of(candidate.address());
            }
            for (EnvelopeAddress fin : finals) {
                String original = candidate.address().address();
                if (isLocal(candidate.address(), fin, routing, context)) {
                    RouteReason reason = candidate.guessed() ? RouteReason.GUESSED : RouteReason.ROUTED;
                    local.add(RecipientDecision.of(fin.address(), original, source, reason,
                            (candidate.guessed() ? "guessed from " : "found in ") + source + "; "
                                    + fin.domain() + " is an accepted domain"));
                } else {
                    foreign.add(RecipientDecision.of(fin.address(), original, source, RouteReason.IGNORED_FOREIGN_DOMAIN,
                            whyForeign(fin, routing, context)));
                }
            }
        }
        List<RecipientDecision> out = new ArrayList<>(local);
        if (!local.isEmpty()) {
            out.addAll(foreign.stream().map(f -> f.as(RouteReason.IGNORED_FOREIGN_DOMAIN,
                    f.explanation() + "; not delivered (no relaying)")).toList());
        } else {
            out.addAll(foreign.stream().map(f -> f.as(RouteReason.FALLBACK_FOREIGN_DOMAIN,
                    f.explanation() + "; no local recipient, so the fallback mailbox gets the message")).toList());
        }
        out.addAll(broken);
        if (out.isEmpty()) {
            out.add(RecipientDecision.of("", "", "none", RouteReason.FALLBACK_NO_LOCAL_RECIPIENT,
                    "no recipient found in the message; the fallback mailbox gets it"));
        }
        return out;
    }

    private static String whyForeign(EnvelopeAddress fin, RoutingSettings routing, RoutingContext context) {
        return context.accepts(fin.domain())
                ? fin.domain() + " is accepted but not one of this account's domains " + routing.domains()
                : fin.domain() + " is not an accepted domain";
    }

    /**
     * Local: the final address is in an accepted domain and, for CATCH_ALL accounts that list domains, the original
     * or the final address is in one of them (a rule may map an old domain to an accepted one).
     */
    private static boolean isLocal(EnvelopeAddress original, EnvelopeAddress fin, RoutingSettings routing, RoutingContext context) {
        if (!context.accepts(fin.domain())) {
            return false;
        }
        if (routing.mode() == RoutingMode.SINGLE || routing.domains().isEmpty()) {
            return true;
        }
        Set<String> mine = accountDomains(routing);
        return mine.contains(original.domain()) || mine.contains(fin.domain());
    }

    /** Every fallback-bound decision gets the fallback address; a loop sends every delivered recipient there. */
    private static List<RecipientDecision> toFallback(List<RecipientDecision> decisions, Optional<String> loop, String fallback) {
        List<RecipientDecision> out = new ArrayList<>();
        for (RecipientDecision d : decisions) {
            String original = d.recipient().original().isEmpty() ? fallback : d.recipient().original();
            if (loop.isPresent() && d.reason().delivered()) {
                out.add(RecipientDecision.of(fallback, original, d.recipient().source(), RouteReason.LOOP,
                        "loop (" + loop.get() + "): not delivered as addressed; the fallback mailbox gets it"));
            } else if (d.reason().toFallback()) {
                out.add(RecipientDecision.of(fallback, original, d.recipient().source(), d.reason(), d.explanation()));
            } else {
                out.add(d);
            }
        }
        return out;
    }

    private static Optional<String> loop(RawMessage message, RoutingContext context) {
        for (HeaderField marker : message.all(TraceHeaders.LOOP_MARKER)) {
            Optional<String> installation = TraceHeaders.installationOf(marker.value());
            if (installation.isPresent() && installation.get().equalsIgnoreCase(context.installationId())) {
                return Optional.of("the message already carries our " + TraceHeaders.LOOP_MARKER + " header for installation "
                        + context.installationId());
            }
        }
        int received = message.count("Received");
        if (received > context.maxReceived()) {
            return Optional.of(received + " Received headers, more than the limit of " + context.maxReceived());
        }
        return Optional.empty();
    }

    /** The fallback of the first account domain that is accepted; SINGLE: of the first target's domain; else the default. */
    static Optional<String> fallback(RoutingSettings routing, RoutingContext context) {
        for (String domain : accountDomains(routing)) {
            if (context.accepts(domain)) {
                return Optional.of(context.acceptedDomains().get(domain));
            }
        }
        if (routing.mode() == RoutingMode.SINGLE) {
            for (String target : routing.targets()) {
                Optional<String> domain = AddressParser.parseOne(target).map(EnvelopeAddress::domain).filter(context::accepts);
                if (domain.isPresent()) {
                    return Optional.of(context.acceptedDomains().get(domain.get()));
                }
            }
        }
        return context.defaultFallback().filter(f -> context.accepts(AddressParser.domainOf(f)));
    }

    private static Set<String> accountDomains(RoutingSettings routing) {
        Set<String> out = new LinkedHashSet<>();
        routing.domains().forEach(d -> AddressParser.normaliseDomain(d).ifPresent(out::add));
        return out;
    }

    /** The topmost Return-Path (written by the ISP at final delivery); "" for {@code <>}, absent or unusable. */
    private static String envelopeFrom(RawMessage message, List<String> notes) {
        Optional<HeaderField> returnPath = message.topmost("Return-Path");
        if (returnPath.isEmpty()) {
            notes.add("no Return-Path: the null sender <> is used");
            return "";
        }
        String value = ReceivedHeader.stripComments(returnPath.get().value()).strip();
        if (value.equals("<>") || value.isEmpty()) {
            return "";
        }
        Optional<EnvelopeAddress> address = AddressParser.parseOne(value);
        if (address.isEmpty()) {
            notes.add("Return-Path is not an address (" + AddressParser.whyNot(value) + "): the null sender <> is used");
            return "";
        }
        return address.get().address();
    }

    /** Names of the headers that reveal envelope recipients (the account's sources and the usual ones). */
    private static List<String> envelopeHeaderNames(RoutingSettings routing) {
        Set<String> names = new LinkedHashSet<>();
        for (String source : routing.envelopeSources()) {
            names.add(source.toLowerCase(Locale.ROOT));
        }
        RoutingSettings.DEFAULT_ENVELOPE_SOURCES.forEach(s -> names.add(s.toLowerCase(Locale.ROOT)));
        names.remove(RoutingSettings.RECEIVED_FOR.toLowerCase(Locale.ROOT));
        names.remove("received");
        return List.copyOf(names);
    }
}
