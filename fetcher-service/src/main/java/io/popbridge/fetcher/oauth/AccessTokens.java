package io.popbridge.fetcher.oauth;

import io.popbridge.common.crypto.SecretCipher;
import io.popbridge.fetcher.account.AccountRepository;
import io.popbridge.fetcher.pop3.Pop3Credential;
import io.popbridge.fetcher.pop3.Pop3Exception;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Access tokens for XOAUTH2 accounts, kept in memory until shortly before they expire (one refresh per hour and
 * account instead of one per poll). A rotated refresh token is stored at once, encrypted. A token the POP3 server
 * refused is dropped, so the next poll asks the provider again.
 */
@ApplicationScoped
public class AccessTokens {
    private static final Logger LOG = Logger.getLogger(AccessTokens.class);
    /** Renew this long before the provider's expiry: a poll must not start with a token about to lapse. */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);

    /**
     * Valid for the refresh token it came from and the one the provider rotated to (a caller may still hold the
     * account as read before the rotation); a new token from the API makes it stale.
     */
    private record Cached(Set<String> encryptedRefreshTokens, String accessToken, Instant renewAt) {
        boolean servesFor(OAuth2Settings settings) {
            return encryptedRefreshTokens.contains(settings.encryptedRefreshToken()) && Instant.now().isBefore(renewAt);
        }
    }

    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();
    /** One refresh per account at a time (a poll and a connection test may overlap): a rotation is not raced. */
    private final Map<UUID, Object> locks = new ConcurrentHashMap<>();

    @Inject
    TokenEndpoint endpoint;

    @Inject
    SecretCipher cipher;

    @Inject
    AccountRepository accounts;

    /** The account's login credential: a current access token, fetched when {@link Pop3Credential#secret()} is asked. */
    public Pop3Credential credential(UUID accountId, OAuth2Settings settings) {
        return new Pop3Credential() {
            @Override
            public String secret() throws Pop3Exception {
                return accessToken(accountId, settings);
            }

            @Override
            public void refused() {
                cache.remove(accountId);
            }
        };
    }

    String accessToken(UUID accountId, OAuth2Settings settings) throws Pop3Exception {
        Cached cached = cache.get(accountId);
        if (cached != null && cached.servesFor(settings)) {
            return cached.accessToken();
        }
        synchronized (locks.computeIfAbsent(accountId, id -> new Object())) {
            cached = cache.get(accountId);
            if (cached != null && cached.servesFor(settings)) {
                return cached.accessToken();
            }
            String clientSecret = settings.encryptedClientSecret() == null ? null : cipher.decrypt(settings.encryptedClientSecret());
            TokenEndpoint.AccessToken token = endpoint.refresh(settings.tokenUrl(), settings.clientId(), clientSecret,
                    settings.scope(), cipher.decrypt(settings.encryptedRefreshToken()));
            String rotated = storeRotated(accountId, settings.encryptedRefreshToken(), token.rotatedRefreshToken());
            Set<String> refreshTokens = rotated == null ? Set.of(settings.encryptedRefreshToken())
                    : Set.of(settings.encryptedRefreshToken(), rotated);
            cache.put(accountId, new Cached(refreshTokens, token.value(), token.expiresAt().minus(EXPIRY_MARGIN)));
            return token.value();
        }
    }

    /**
     * Stores a rotated refresh token unless the account got another one meanwhile (through the API); returns it
     * encrypted, or null when the provider did not rotate.
     */
    private String storeRotated(UUID accountId, String previous, String rotated) {
        if (rotated == null || rotated.equals(cipher.decrypt(previous))) {
            return null;
        }
        String encrypted = cipher.encrypt(rotated);
        try {
            if (accounts.replaceRefreshToken(accountId, previous, encrypted)) {
                LOG.infof("account %s: the provider rotated the refresh token; the new one is stored", accountId);
            } else {
                LOG.warnf("account %s: the provider rotated the refresh token, but the account got another one "
                        + "meanwhile; that one is kept", accountId);
            }
        } catch (RuntimeException e) {
            // the access token is valid: this poll goes on; the next refresh tries the old refresh token
            LOG.errorf("account %s: the provider rotated the refresh token and storing it failed: %s", accountId, e.getMessage());
        }
        return encrypted;
    }
}
