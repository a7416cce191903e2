package io.popbridge.delivery.targets;

import io.popbridge.common.api.ApiException;
import io.popbridge.common.crypto.SecretCipher;
import io.popbridge.delivery.smtp.SmtpSecurity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Creates, changes and removes targets; the password is encrypted at rest and never shown. */
@ApplicationScoped
public class TargetService {
    @Inject
    EntityManager em;
    @Inject
    SecretCipher cipher;
    @Inject
    TargetDirectory directory;

    public List<TargetView> list() {
        return em.createQuery("from TargetEntity order by priority, name", TargetEntity.class).getResultList()
                .stream().map(TargetService::view).toList();
    }

    public Optional<TargetView> find(UUID id) {
        return Optional.ofNullable(em.find(TargetEntity.class, id)).map(TargetService::view);
    }

    @Transactional
    public TargetView create(TargetRequest request) {
        TargetEntity e = new TargetEntity();
        e.id = UUID.randomUUID();
        e.createdAt = Instant.now();
        apply(e, request, true);
        rejectDuplicateName(e);
        em.persist(e);
        em.flush();
        directory.reloadAfterCommit();
        return view(e);
    }

    @Transactional
    public Optional<TargetView> update(UUID id, TargetRequest request) {
        TargetEntity e = em.find(TargetEntity.class, id);
        if (e == null) {
            return Optional.empty();
        }
        apply(e, request, false);
        rejectDuplicateName(e);
        em.flush();
        directory.reloadAfterCommit();
        return Optional.of(view(e));
    }

    @Transactional
    public boolean delete(UUID id) {
        TargetEntity e = em.find(TargetEntity.class, id);
        if (e == null) {
            return false;
        }
        em.remove(e);
        directory.reloadAfterCommit();
        return true;
    }

    /** All targets with decrypted credentials, for delivery. */
    @Transactional
    public List<Target> loadAll() {
        return em.createQuery("from TargetEntity", TargetEntity.class).getResultList().stream().map(this::toTarget).toList();
    }

    public Target toTarget(TargetEntity e) {
        return new Target(e.id, e.name, e.host, e.port, SmtpSecurity.valueOf(e.security), e.verifyCertificate, e.customCa,
                e.username, e.passwordEnc == null ? null : cipher.decrypt(e.passwordEnc), e.authMechanism, e.heloName,
                domains(e.domains), e.priority, e.maxConnections, e.maxMessagesPerConnection);
    }

    private void rejectDuplicateName(TargetEntity e) {
        Long same = em.createQuery("select count(t) from TargetEntity t where t.name = :n and t.id <> :id", Long.class)
                .setParameter("n", e.name).setParameter("id", e.id).getSingleResult();
        if (same > 0) {
            throw ApiException.conflict("name", "a target named '" + e.name + "' exists");
        }
    }

    private void apply(TargetEntity e, TargetRequest r, boolean create) {
        e.name = r.name().trim();
        e.host = r.host().trim();
        e.port = r.port() == null ? 25 : r.port();
        e.security = (r.security() == null ? SmtpSecurity.STARTTLS_IF_OFFERED : r.security()).name();
        e.verifyCertificate = r.verifyCertificate() == null || r.verifyCertificate();
        e.customCa = r.customCa() == null || r.customCa().isBlank() ? null : r.customCa();
        e.username = r.username() == null || r.username().isBlank() ? null : r.username();
        if (r.password() != null) {
            e.passwordEnc = r.password().isEmpty() ? null : cipher.encrypt(r.password());
        } else if (create) {
            e.passwordEnc = null;
        }
        if (e.username != null && e.passwordEnc == null) {
            throw ApiException.badRequest("password", "a username needs a password");
        }
        e.authMechanism = r.authMechanism() == null ? "PLAIN" : r.authMechanism();
        e.heloName = r.heloName() == null || r.heloName().isBlank() ? "popbridge.local" : r.heloName();
        e.domains = String.join(",", r.domains() == null ? List.of()
                : r.domains().stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).distinct().toList());
        e.priority = r.priority() == null ? 10 : r.priority();
        e.maxConnections = r.maxConnections() == null ? 4 : r.maxConnections();
        e.maxMessagesPerConnection = r.maxMessagesPerConnection() == null ? 100 : r.maxMessagesPerConnection();
        e.updatedAt = Instant.now();
    }

    private static List<String> domains(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
    }

    static TargetView view(TargetEntity e) {
        return new TargetView(e.id, e.name, e.host, e.port, SmtpSecurity.valueOf(e.security), e.verifyCertificate, e.customCa,
                e.username, e.passwordEnc != null, e.authMechanism, e.heloName, domains(e.domains), e.priority,
                e.maxConnections, e.maxMessagesPerConnection, e.createdAt, e.updatedAt);
    }

}
