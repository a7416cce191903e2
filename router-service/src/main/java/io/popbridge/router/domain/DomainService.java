package io.popbridge.router.domain;

import io.popbridge.common.api.ApiException;
import io.popbridge.router.address.AddressParser;
import io.popbridge.router.address.EnvelopeAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Accepted domains and their fallback mailboxes; a fallback must itself be in an accepted domain. */
@ApplicationScoped
public class DomainService {
    @Inject
    DomainRepository domains;

    public List<DomainView> list() {
        return domains.listSorted().stream().map(DomainView::of).toList();
    }

    public Optional<DomainView> find(String name) {
        return AddressParser.normaliseDomain(name).flatMap(domains::findByIdOptional).map(DomainView::of);
    }

    @Transactional
    public DomainView create(DomainRequest request) {
        String name = domainName(request.name());
        if (domains.findByIdOptional(name).isPresent()) {
            throw ApiException.conflict("name", "domain " + name + " is already accepted");
        }
        AcceptedDomain domain = new AcceptedDomain();
        domain.name = name;
        domain.fallback = fallback(request.fallback(), name);
        domain.createdAt = Instant.now();
        domain.updatedAt = domain.createdAt;
        domains.persist(domain);
        return DomainView.of(domain);
    }

    @Transactional
    public Optional<DomainView> update(String name, DomainRequest request) {
        Optional<AcceptedDomain> found = AddressParser.normaliseDomain(name).flatMap(domains::findByIdOptional);
        found.ifPresent(domain -> {
            if (!domainName(request.name()).equals(domain.name)) {
                throw ApiException.badRequest("name", "the name of a domain cannot change; delete it and create the new one");
            }
            domain.fallback = fallback(request.fallback(), domain.name);
            domain.updatedAt = Instant.now();
        });
        return found.map(DomainView::of);
    }

    @Transactional
    public boolean delete(String name) {
        Optional<AcceptedDomain> found = AddressParser.normaliseDomain(name).flatMap(domains::findByIdOptional);
        if (found.isEmpty()) {
            return false;
        }
        if (domains.countUsingAsFallbackDomain(found.get().name, found.get().name) > 0) {
            throw ApiException.conflict("name", "another accepted domain uses a fallback mailbox in " + found.get().name);
        }
        domains.delete(found.get());
        return true;
    }

    private static String domainName(String raw) {
        return AddressParser.normaliseDomain(raw)
                .orElseThrow(() -> ApiException.badRequest("name", "'" + raw + "' is not a valid domain name"));
    }

    /** The fallback must be an address in an accepted domain (the domain being saved counts). */
    private String fallback(String raw, String self) {
        EnvelopeAddress address = AddressParser.parseOne(raw).orElseThrow(() ->
                ApiException.badRequest("fallback", "'" + raw + "' is not an address: " + AddressParser.whyNot(raw)));
        if (!address.domain().equals(self) && domains.findByIdOptional(address.domain()).isEmpty()) {
            throw ApiException.badRequest("fallback", "the fallback mailbox must be in an accepted domain; "
                    + address.domain() + " is not one");
        }
        return address.address();
    }
}
