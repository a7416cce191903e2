package io.popbridge.router.rule;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "address_rule")
public class AddressRule extends PanacheEntityBase {
    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RuleType type;

    @Column(nullable = false)
    public String pattern;

    /** One target per line (addresses and templates never contain a line break: they are validated). */
    @Column(nullable = false)
    public String targets;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public List<String> targetList() {
        return Arrays.stream(targets.split("\n")).filter(t -> !t.isEmpty()).toList();
    }

    public CompiledRule compile() {
        return CompiledRule.of(id, type, pattern, targetList(), position);
    }
}
