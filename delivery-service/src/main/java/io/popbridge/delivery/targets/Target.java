package io.popbridge.delivery.targets;

import io.popbridge.delivery.smtp.SmtpSecurity;
import java.util.List;
import java.util.UUID;

/** A target as delivery uses it: decrypted credentials, in memory only. */
public record Target(UUID id, String name, String host, int port, SmtpSecurity security, boolean verifyCertificate,
                     String customCa, String username, String password, String authMechanism, String heloName,
                     List<String> domains, int priority, int maxConnections, int maxMessagesPerConnection) {

    public boolean isDefault() {
        return domains.isEmpty();
    }

    public boolean serves(String domain) {
        return domains.contains(domain);
    }

    @Override
    public String toString() {
        return name + " (" + host + ":" + port + ")";
    }
}
