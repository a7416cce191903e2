package io.popbridge.router.domain;

import java.time.Instant;

public record DomainView(String name, String fallback, Instant createdAt, Instant updatedAt) {
    static DomainView of(AcceptedDomain d) {
        return new DomainView(d.name, d.fallback, d.createdAt, d.updatedAt);
    }
}
