package io.popbridge.router.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class DomainRepository implements PanacheRepositoryBase<AcceptedDomain, String> {
    public List<AcceptedDomain> listSorted() {
        return listAll(Sort.by("name"));
    }

    /** Accepted domain → fallback mailbox. */
    public Map<String, String> fallbacks() {
        Map<String, String> out = new LinkedHashMap<>();
        listSorted().forEach(d -> out.put(d.name, d.fallback));
        return out;
    }

    public long countUsingAsFallbackDomain(String domain, String except) {
        return count("lower(fallback) like ?1 and name <> ?2", "%@" + domain, except);
    }
}
