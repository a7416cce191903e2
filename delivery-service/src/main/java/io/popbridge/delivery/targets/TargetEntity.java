package io.popbridge.delivery.targets;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A stored SMTP target; never leaves the service (REST uses {@link TargetView}). */
@Entity
@Table(name = "target")
public class TargetEntity {
    @Id
    public UUID id;
    @Column(nullable = false, unique = true)
    public String name;
    @Column(nullable = false)
    public String host;
    public int port;
    @Column(nullable = false)
    public String security;
    @Column(name = "verify_certificate")
    public boolean verifyCertificate;
    @Column(name = "custom_ca")
    public String customCa;
    public String username;
    /** {@code SecretCipher} form; never returned. */
    @Column(name = "password_enc")
    public String passwordEnc;
    @Column(name = "auth_mechanism", nullable = false)
    public String authMechanism;
    @Column(name = "helo_name", nullable = false)
    public String heloName;
    /** Comma-separated, lower case; empty: the default target. */
    @Column(nullable = false)
    public String domains;
    public int priority;
    @Column(name = "max_connections")
    public int maxConnections;
    @Column(name = "max_messages_per_connection")
    public int maxMessagesPerConnection;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
