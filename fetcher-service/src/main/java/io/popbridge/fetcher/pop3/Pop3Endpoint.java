package io.popbridge.fetcher.pop3;

import java.time.Duration;

/**
 * Everything needed to open and log in to one POP3 mailbox. {@code credential} gives the decrypted password or
 * an access token: never log it ({@link #toString()} leaves it out).
 */
public record Pop3Endpoint(
        String host,
        int port,
        Pop3Security security,
        boolean verifyCertificate,
        String customCaPem,
        Pop3Auth auth,
        String username,
        Pop3Credential credential,
        Duration connectTimeout,
        Duration readTimeout) {

    public String source() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "Pop3Endpoint[" + source() + ", " + security + ", " + auth + ", user=" + username + "]";
    }
}
