package io.popbridge.fetcher.account;

import io.popbridge.common.tls.ClientTls;
import io.popbridge.common.api.ApiException;
import io.popbridge.common.crypto.SecretCipher;
import io.popbridge.contract.RoutingMode;
import io.popbridge.contract.RoutingSettings;
import io.popbridge.fetcher.metrics.FetcherMetrics;
import io.popbridge.fetcher.oauth.OAuth2Settings;
import io.popbridge.fetcher.pop3.Pop3Auth;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Account CRUD: validation beyond Bean Validation, password encryption, metric registration. */
@ApplicationScoped
public class AccountService {
    static final int DEFAULT_INTERVAL_SECONDS = 300;
    static final long DEFAULT_MAX_MESSAGE_BYTES = 50L * 1024 * 1024;
    /** An address as it may reach RCPT TO: no spaces, no control characters, one @. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>\"\\p{Cntrl}]+@[A-Za-z0-9.\\-]+");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9\\-]+(\\.[A-Za-z0-9\\-]+)+");
    private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]+");

    @Inject
    AccountRepository repository;

    @Inject
    SecretCipher cipher;

    @Inject
    FetcherMetrics metrics;

    @Inject
    io.popbridge.fetcher.poll.PollRepository polls;

    void registerMetrics(@Observes StartupEvent start) {
        syncMetrics();
    }

    /** Accounts created, changed or deleted through another replica get (or lose) their series here too. */
    @io.quarkus.scheduler.Scheduled(every = "60s", delayed = "60s")
    public void syncMetrics() {
        metrics.sync(polls.metricInputs());
    }

    public List<Account> list() {
        return repository.list();
    }

    public Optional<Account> find(UUID id) {
        return repository.find(id);
    }

    public Account create(AccountRequest request) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Account account = toAccount(UUID.randomUUID(), request, null, now, now);
        repository.insert(account);
        metrics.register(account.id(), account.pollIntervalSeconds(), account.enabled(), 0);
        return account;
    }

    public Optional<Account> update(UUID id, AccountRequest request) {
        Optional<Account> existing = repository.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Account account = toAccount(id, request, existing.get(), existing.get().createdAt(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        if (!repository.update(account)) {
            return Optional.empty();
        }
        metrics.register(id, account.pollIntervalSeconds(), account.enabled(), polls.consecutiveFailures(id));
        return Optional.of(account);
    }

    public boolean delete(UUID id) {
        boolean deleted = repository.delete(id);
        if (deleted) {
            metrics.remove(id);
        }
        return deleted;
    }

    /** {@code existing} (null on create) provides the secrets a request leaves out. */
    private Account toAccount(UUID id, AccountRequest r, Account existing, Instant created, Instant updated) {
        Pop3Auth auth = r.auth() == null ? Pop3Auth.USER_PASS : r.auth();
        String passwordSecret = null;
        OAuth2Settings oauth2 = null;
        if (auth == Pop3Auth.XOAUTH2) {
            oauth2 = oauth2(r.oauth2(), existing == null ? null : existing.oauth2());
        } else {
            passwordSecret = password(r.password(), existing == null ? null : existing.passwordSecret());
        }
        String customCa = r.customCa() == null || r.customCa().isBlank() ? null : r.customCa();
        if (customCa != null) {
            try {
                ClientTls.parsePem(customCa);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("customCa", e.getMessage());
            }
        }
        return new Account(id, r.name().trim(), r.host().trim(), r.port(), r.security(),
                r.verifyCertificate() == null || r.verifyCertificate(), customCa, auth, r.username(), passwordSecret, oauth2,
                r.pollIntervalSeconds() == null ? DEFAULT_INTERVAL_SECONDS : r.pollIntervalSeconds(),
                r.enabled() == null || r.enabled(),
                r.maxMessageBytes() == null ? DEFAULT_MAX_MESSAGE_BYTES : r.maxMessageBytes(),
                retention(r.retention()), routing(r.routing()), created, updated);
    }

    private String password(String given, String stored) {
        if (given != null && !given.isEmpty()) {
            return cipher.encrypt(given);
        }
        if (stored == null) {
            throw ApiException.badRequest("password", "password is required");
        }
        return stored;
    }

    private OAuth2Settings oauth2(AccountRequest.OAuth2Request r, OAuth2Settings stored) {
        if (r == null) {
            throw ApiException.badRequest("oauth2", "XOAUTH2 needs oauth2 with tokenUrl, clientId and refreshToken");
        }
        String tokenUrl = r.tokenUrl().trim();
        if (!isSafeTokenUrl(tokenUrl)) {
            throw ApiException.badRequest("oauth2.tokenUrl",
                    "must be an https URL (plain http only to localhost): the refresh token is sent there");
        }
        String refreshToken = r.refreshToken() != null && !r.refreshToken().isEmpty()
                ? cipher.encrypt(r.refreshToken()) : stored == null ? null : stored.encryptedRefreshToken();
        if (refreshToken == null) {
            throw ApiException.badRequest("oauth2.refreshToken", "refreshToken is required");
        }
        String clientSecret = r.clientSecret() != null && !r.clientSecret().isEmpty()
                ? cipher.encrypt(r.clientSecret()) : stored == null ? null : stored.encryptedClientSecret();
        String scope = r.scope() == null || r.scope().isBlank() ? null : r.scope().trim();
        return new OAuth2Settings(tokenUrl, r.clientId().trim(), scope, clientSecret, refreshToken);
    }

    private static boolean isSafeTokenUrl(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null) {
                return false;
            }
            String host = uri.getHost();
            return "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())
                    && (host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Retention retention(AccountRequest.RetentionRequest r) {
        if (r == null) {
            return Retention.DEFAULT;
        }
        if (r.policy() == RetentionPolicy.KEEP_DAYS) {
            if (r.days() == null) {
                throw ApiException.badRequest("days", "KEEP_DAYS needs the number of days");
            }
            return new Retention(r.policy(), r.days());
        }
        return new Retention(r.policy(), null);
    }

    private static RoutingSettings routing(RoutingSettings r) {
        for (String domain : r.domains()) {
            if (domain == null || !DOMAIN.matcher(domain).matches()) {
                throw ApiException.badRequest("domains", "not a domain name: " + domain);
            }
        }
        if (r.mode() == RoutingMode.SINGLE) {
            if (r.targets().isEmpty()) {
                throw ApiException.badRequest("targets", "SINGLE routing needs at least one target address");
            }
            for (String target : r.targets()) {
                if (target == null || !ADDRESS.matcher(target).matches()) {
                    throw ApiException.badRequest("targets", "not a mail address: " + target);
                }
            }
            return r;
        }
        if (r.domains().isEmpty()) {
            throw ApiException.badRequest("domains", "CATCH_ALL routing needs at least one domain");
        }
        for (String source : r.envelopeSources()) {
            if (source == null || !HEADER_NAME.matcher(source).matches()) {
                throw ApiException.badRequest("envelopeSources", "not a header name: " + source);
            }
        }
        List<String> sources = r.envelopeSources().isEmpty() ? RoutingSettings.DEFAULT_ENVELOPE_SOURCES : r.envelopeSources();
        return new RoutingSettings(r.mode(), r.targets(), r.domains(), sources, r.headerFallback(), r.hideEnvelopeHeaders());
    }
}
