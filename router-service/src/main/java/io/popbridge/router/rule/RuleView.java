package io.popbridge.router.rule;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record RuleView(UUID id, RuleType type, String pattern, List<String> targets, int position, String description,
                       Instant createdAt) {
    static RuleView of(AddressRule r) {
        return new RuleView(r.id, r.type, r.pattern, r.targetList(), r.position, r.description, r.createdAt);
    }
}
