package io.popbridge.delivery.smtp;

import java.time.Duration;

/**
 * Where and how to connect. {@code password} is plain text in memory only; {@link #toString()} never shows it.
 *
 * @param customCaPem PEM certificates to trust instead of the JDK's CAs (null: the JDK's)
 */
public record SmtpEndpoint(String host, int port, SmtpSecurity security, boolean verifyCertificate, String customCaPem,
                           String username, String password, String authMechanism, String heloName,
                           Duration connectTimeout, Duration readTimeout, Duration dataTimeout) {

    public boolean authenticates() {
        return username != null && !username.isEmpty();
    }

    @Override
    public String toString() {
        return host + ":" + port + " (" + security + (authenticates() ? ", AUTH " + authMechanism + " as " + username : "") + ")";
    }
}
