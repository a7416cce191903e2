package io.popbridge.fetcher.pop3;

import java.io.IOException;

/**
 * A POP3 session failed. {@link #kind()} classifies it for the poll outcome; {@link #reply()} is the server's
 * last reply line when there was one. Messages never contain credentials.
 */
public class Pop3Exception extends IOException {
    /** Failure classes; each maps to one poll outcome. */
    public enum Kind { CONNECT, TLS, AUTH, TIMEOUT, PROTOCOL }

    private final Kind kind;
    private final String reply;

    public Pop3Exception(Kind kind, String message, String reply, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.reply = reply;
    }

    public Pop3Exception(Kind kind, String message, String reply) {
        this(kind, message, reply, null);
    }

    public Kind kind() {
        return kind;
    }

    public String reply() {
        return reply;
    }
}
