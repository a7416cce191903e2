package io.popbridge.router.rule;

import io.popbridge.router.address.EnvelopeAddress;
import java.util.Comparator;
import java.util.List;

/**
 * The address rules in precedence order: by position (ascending), then EXACT before WILDCARD before REGEX, then
 * by id. The first rule that matches decides; its result is final (no chaining, so rules cannot loop).
 */
public record RuleSet(List<CompiledRule> rules) {
    public static final Comparator<CompiledRule> PRECEDENCE = Comparator.comparingInt(CompiledRule::position)
            .thenComparing(CompiledRule::type)
            .thenComparing(r -> r.id().toString());

    public static final RuleSet EMPTY = new RuleSet(List.of());

    public RuleSet {
        rules = rules.stream().sorted(PRECEDENCE).toList();
    }

    public RuleResult rewrite(EnvelopeAddress address) {
        for (CompiledRule rule : rules) {
            RuleResult result = rule.rewrite(address);
            if (!(result instanceof RuleResult.NoMatch)) {
                return result;
            }
        }
        return new RuleResult.NoMatch();
    }
}
