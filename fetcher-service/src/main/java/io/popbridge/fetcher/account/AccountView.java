package io.popbridge.fetcher.account;

import io.popbridge.common.crypto.SecretCipher;
import io.popbridge.contract.RoutingSettings;
import io.popbridge.fetcher.oauth.OAuth2Settings;
import io.popbridge.fetcher.pop3.Pop3Auth;
import io.popbridge.fetcher.pop3.Pop3Security;
import java.time.Instant;
import java.util.UUID;

/** An account as the API shows it: no password or OAuth2 secrets, only whether they are set and their key id. */
public record AccountView(
        UUID id,
        String name,
        String host,
        int port,
        Pop3Security security,
        boolean verifyCertificate,
        String customCa,
        Pop3Auth auth,
        String username,
        boolean passwordSet,
        String passwordKeyId,
        OAuth2View oauth2,
        int pollIntervalSeconds,
        boolean enabled,
        long maxMessageBytes,
        Retention retention,
        RoutingSettings routing,
        Instant createdAt,
        Instant updatedAt) {

    /** An XOAUTH2 account's token source; the client secret and refresh token are never shown. */
    public record OAuth2View(String tokenUrl, String clientId, String scope, boolean clientSecretSet,
                             boolean refreshTokenSet, String refreshTokenKeyId) {
        static OAuth2View of(OAuth2Settings s) {
            return s == null ? null : new OAuth2View(s.tokenUrl(), s.clientId(), s.scope(), s.encryptedClientSecret() != null,
                    s.encryptedRefreshToken() != null, SecretCipher.keyIdOf(s.encryptedRefreshToken()));
        }
    }

    static AccountView of(Account a) {
        return new AccountView(a.id(), a.name(), a.host(), a.port(), a.security(), a.verifyCertificate(), a.customCa(),
                a.auth(), a.username(), a.passwordSecret() != null,
                a.passwordSecret() == null ? null : SecretCipher.keyIdOf(a.passwordSecret()), OAuth2View.of(a.oauth2()),
                a.pollIntervalSeconds(),
                a.enabled(), a.maxMessageBytes(), a.retention(), a.routing(), a.createdAt(), a.updatedAt());
    }
}
