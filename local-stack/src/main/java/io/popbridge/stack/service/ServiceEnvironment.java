package io.popbridge.stack.service;

import java.util.Map;

/** What every service process gets from its environment: database, broker, admin password, encryption key. */
public record ServiceEnvironment(String jdbcUrl, String dbUser, String dbPassword, String kafkaBootstrapServers,
                                 String adminPassword, String encryptionKey) {

    public Map<String, String> variables() {
        return Map.of(
                "POPBRIDGE_DB_URL", jdbcUrl,
                "POPBRIDGE_DB_USER", dbUser,
                "POPBRIDGE_DB_PASSWORD", dbPassword,
                "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers,
                "POPBRIDGE_ADMIN_PASSWORD", adminPassword,
                "POPBRIDGE_ENCRYPTION_KEY", encryptionKey);
    }
}
