package io.popbridge.fetcher.account;

import io.popbridge.contract.RoutingSettings;
import io.popbridge.fetcher.oauth.OAuth2Settings;
import io.popbridge.fetcher.pop3.Pop3Auth;
import io.popbridge.fetcher.pop3.Pop3Security;
import java.time.Instant;
import java.util.UUID;

/**
 * A source account as stored; the password stays encrypted ({@code passwordSecret}, null for XOAUTH2 accounts,
 * which have {@code oauth2} instead). Never leaves the service.
 */
public record Account(
        UUID id,
        String name,
        String host,
        int port,
        Pop3Security security,
        boolean verifyCertificate,
        String customCa,
        Pop3Auth auth,
        String username,
        String passwordSecret,
        OAuth2Settings oauth2,
        int pollIntervalSeconds,
        boolean enabled,
        long maxMessageBytes,
        Retention retention,
        RoutingSettings routing,
        Instant createdAt,
        Instant updatedAt) {

    public String source() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "Account[" + id + " " + name + " " + source() + "]";
    }
}
