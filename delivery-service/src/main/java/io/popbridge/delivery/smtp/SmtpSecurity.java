package io.popbridge.delivery.smtp;

/** How a connection to a target is protected. */
public enum SmtpSecurity {
    NONE, STARTTLS_IF_OFFERED, STARTTLS_REQUIRED, TLS
}
