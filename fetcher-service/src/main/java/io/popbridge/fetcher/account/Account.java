package io.popbridge.fetcher.account;

import io.popbridge.contract.RoutingSettings;
import io.popbridge.fetcher.pop3.Pop3Auth;
import io.popbridge.fetcher.pop3.Pop3Security;
import java.time.Instant;
import java.util.UUID;

/** A source account as stored; the password stays encrypted ({@code passwordSecret}). Never leaves the service. */
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
