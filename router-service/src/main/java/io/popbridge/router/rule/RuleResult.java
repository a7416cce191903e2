package io.popbridge.router.rule;

import io.popbridge.router.address.EnvelopeAddress;
import java.util.List;

/** What one rule did to one address. */
public sealed interface RuleResult {
    record NoMatch() implements RuleResult {
    }

    /** The address is replaced by {@code addresses} (one or more). */
    record Rewritten(CompiledRule rule, List<EnvelopeAddress> addresses) implements RuleResult {
    }

    /** The rule matched but produced something that is not an address; the recipient is not routed as addressed. */
    record Broken(CompiledRule rule, String why) implements RuleResult {
    }
}
