package io.popbridge.router.rule;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class RuleRepository implements PanacheRepositoryBase<AddressRule, UUID> {
    /** Every rule compiled, in precedence order. Rules were validated when saved; one that no longer compiles is skipped. */
    public RuleSet ruleSet() {
        return new RuleSet(listAll().stream().map(rule -> {
            try {
                return rule.compile();
            } catch (RuntimeException e) {
                io.quarkus.logging.Log.warnf("address rule %s does not compile and is skipped: %s", rule.id, e.getMessage());
                return null;
            }
        }).filter(java.util.Objects::nonNull).toList());
    }

    public List<AddressRule> listOrdered() {
        return listAll().stream().sorted(java.util.Comparator.comparing(AddressRule::compile, RuleSet.PRECEDENCE)).toList();
    }
}
