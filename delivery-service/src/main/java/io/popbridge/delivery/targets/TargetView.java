package io.popbridge.delivery.targets;

import io.popbridge.delivery.smtp.SmtpSecurity;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A target as the API shows it: the password never, only whether one is set. */
public record TargetView(UUID id, String name, String host, int port, SmtpSecurity security, boolean verifyCertificate,
                         String customCa, String username, boolean passwordSet, String authMechanism, String heloName,
                         List<String> domains, int priority, int maxConnections, int maxMessagesPerConnection,
                         Instant createdAt, Instant updatedAt) {
}
