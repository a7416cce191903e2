package io.popbridge.delivery.smtp;

import java.io.IOException;

/**
 * The connection to a target failed or broke. {@link #dataSent()} tells whether the end of the message data
 * was already written when it broke: then the server may have accepted the message (the ambiguous window).
 */
public class SmtpException extends IOException {
    private final SmtpReply reply;
    private final boolean dataSent;

    public SmtpException(String message, SmtpReply reply, boolean dataSent, Throwable cause) {
        super(message, cause);
        this.reply = reply;
        this.dataSent = dataSent;
    }

    public SmtpException(String message, SmtpReply reply) {
        this(message, reply, false, null);
    }

    /** The server's reply that ended the session (421, 535, ...), or null for a network failure. */
    public SmtpReply reply() {
        return reply;
    }

    public boolean dataSent() {
        return dataSent;
    }
}
