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

    /** Valid for the refresh token it came from: a new token from the API or a rotation makes it stale. */
    private record Cached(String encryptedRefreshToken, String accessToken, Instant renewAt) {
    }

    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

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
        if (cached != null && cached.encryptedRefreshToken().equals(settings.encryptedRefreshToken())
                && Instant.now().isBefore(cached.renewAt())) {
            return cached.accessToken();
        }
        String clientSecret = settings.encryptedClientSecret() == null ? null : cipher.decrypt(settings.encryptedClientSecret());
        TokenEndpoint.AccessToken token = endpoint.refresh(settings.tokenUrl(), settings.clientId(), clientSecret,
                settings.scope(), cipher.decrypt(settings.encryptedRefreshToken()));
        String refreshToken = settings.encryptedRefreshToken();
        if (token.rotatedRefreshToken() != null) {
            refreshToken = storeRotated(accountId, settings.encryptedRefreshToken(), token.rotatedRefreshToken());
        }
        cache.put(accountId, new Cached(refreshToken, token.value(), token.expiresAt().minus(EXPIRY_MARGIN)));
        return token.value();
    }

    /** Stores a rotated refresh token unless the account got another one meanwhile (through the API). */
    private String storeRotated(UUID accountId, String previous, String rotated) {
        if (rotated.equals(cipher.decrypt(previous))) {
            return previous;
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
