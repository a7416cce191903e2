package io.popbridge.fetcher.pop3;

import java.time.Duration;

/**
 * Everything needed to open and log in to one POP3 mailbox. {@code password} is the decrypted secret: never
 * log or print this record ({@link #toString()} hides it).
 */
public record Pop3Endpoint(
        String host,
        int port,
        Pop3Security security,
        boolean verifyCertificate,
        String customCaPem,
        Pop3Auth auth,
        String username,
        String password,
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
