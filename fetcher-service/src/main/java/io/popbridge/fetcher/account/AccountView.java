package io.popbridge.fetcher.account;

import io.popbridge.contract.RoutingSettings;
import io.popbridge.fetcher.pop3.Pop3Auth;
import io.popbridge.fetcher.pop3.Pop3Security;
import java.time.Instant;
import java.util.UUID;

/** An account as the API shows it: no password, only whether one is set and its key id. */
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
        int pollIntervalSeconds,
        boolean enabled,
        long maxMessageBytes,
        Retention retention,
        RoutingSettings routing,
        Instant createdAt,
        Instant updatedAt) {

    static AccountView of(Account a) {
        return new AccountView(a.id(), a.name(), a.host(), a.port(), a.security(), a.verifyCertificate(), a.customCa(),
                a.auth(), a.username(), a.passwordSecret() != null,
                io.popbridge.common.crypto.SecretCipher.keyIdOf(a.passwordSecret()), a.pollIntervalSeconds(),
                a.enabled(), a.maxMessageBytes(), a.retention(), a.routing(), a.createdAt(), a.updatedAt());
    }
}
