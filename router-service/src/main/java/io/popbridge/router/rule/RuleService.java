package io.popbridge.router.rule;

import io.popbridge.common.api.ApiException;
import io.popbridge.router.address.AddressParser;
import io.popbridge.router.address.EnvelopeAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Address rules: validated when saved (pattern compiles, targets are addresses or fillable templates). */
@ApplicationScoped
public class RuleService {
    @Inject
    RuleRepository rules;

    public List<RuleView> list() {
        return rules.listOrdered().stream().map(RuleView::of).toList();
    }

    public Optional<RuleView> find(UUID id) {
        return rules.findByIdOptional(id).map(RuleView::of);
    }

    @Transactional
    public RuleView create(RuleRequest request) {
        AddressRule rule = new AddressRule();
        rule.id = UUID.randomUUID();
        rule.createdAt = Instant.now();
        apply(rule, request);
        rules.persist(rule);
        return RuleView.of(rule);
    }

    @Transactional
    public Optional<RuleView> update(UUID id, RuleRequest request) {
        Optional<AddressRule> found = rules.findByIdOptional(id);
        found.ifPresent(rule -> apply(rule, request));
        return found.map(RuleView::of);
    }

    @Transactional
    public boolean delete(UUID id) {
        return rules.deleteById(id);
    }

    public Optional<RuleTestView> test(UUID id, String address) {
        Optional<AddressRule> found = rules.findByIdOptional(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        EnvelopeAddress parsed = AddressParser.parseOne(address).orElseThrow(() ->
                ApiException.badRequest("address", "'" + address + "' is not an address: " + AddressParser.whyNot(address)));
        CompiledRule rule = found.get().compile();
        RuleResult own = rule.rewrite(parsed);
        RuleResult decisive = rules.ruleSet().rewrite(parsed);
        String decidedBy = decisive instanceof RuleResult.Rewritten r ? r.rule().id().toString()
                : decisive instanceof RuleResult.Broken b ? b.rule().id().toString() : null;
        String shadow = decidedBy != null && !decidedBy.equals(id.toString())
                ? " (but rule " + decidedBy + " comes first and decides for this address)" : "";
        if (own instanceof RuleResult.Rewritten r) {
            List<String> results = r.addresses().stream().map(EnvelopeAddress::address).toList();
            return Optional.of(new RuleTestView(parsed.address(), true, results, decidedBy,
                    parsed.address() + " -> " + String.join(", ", results) + shadow));
        }
        if (own instanceof RuleResult.Broken b) {
            return Optional.of(new RuleTestView(parsed.address(), true, List.of(), decidedBy, b.why() + shadow));
        }
        return Optional.of(new RuleTestView(parsed.address(), false, List.of(), decidedBy,
                "rule does not match " + parsed.address()));
    }

    private void apply(AddressRule rule, RuleRequest request) {
        String pattern = request.pattern().strip();
        List<String> targets = request.targets().stream().map(String::strip).toList();
        validate(request.type(), pattern, targets);
        rule.type = request.type();
        rule.pattern = pattern;
        rule.targets = String.join("\n", targets);
        rule.position = request.position() == null ? 100 : request.position();
        rule.description = request.description() == null ? "" : request.description().strip();
    }

    /** Rejects what could never produce an address, so a broken rule is found when saved, not when mail arrives. */
    static void validate(RuleType type, String pattern, List<String> targets) {
        for (String s : targets) {
            if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw ApiException.badRequest("targets", "a target contains a control character");
            }
        }
        if (pattern.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("pattern", "the pattern contains a control character");
        }
        switch (type) {
            case EXACT -> {
                if (AddressParser.parseOne(pattern).isEmpty()) {
                    throw ApiException.badRequest("pattern", "'" + pattern + "' is not an address: " + AddressParser.whyNot(pattern));
                }
                targets.forEach(t -> requireAddress(t, t));
            }
            case WILDCARD -> {
                if (!pattern.contains("@")) {
                    throw ApiException.badRequest("pattern", "a wildcard pattern is an address with '*', e.g. *@old-domain.de");
                }
                targets.forEach(t -> requireAddress(t.replace("*", "x"), t));
            }
            case REGEX -> {
                try {
                    CompiledRule.of(UUID.randomUUID(), type, pattern, targets, 0);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("pattern", e.getMessage());
                }
                targets.forEach(t -> requireAddress(t.replaceAll("\\$(\\d+|\\{\\w+})", "x"), t));
            }
        }
    }

    private static void requireAddress(String filled, String target) {
        if (AddressParser.parseOne(filled).isEmpty()) {
            throw ApiException.badRequest("targets", "'" + target + "' is not an address: " + AddressParser.whyNot(filled));
        }
    }
}
