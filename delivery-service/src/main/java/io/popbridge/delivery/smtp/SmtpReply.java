package io.popbridge.delivery.smtp;

import java.util.List;

/** One (possibly multi-line) SMTP reply. */
public record SmtpReply(int code, List<String> lines) {
    public SmtpReply {
        lines = List.copyOf(lines);
    }

    public boolean positive() {
        return code >= 200 && code < 400;
    }

    public boolean temporary() {
        return code >= 400 && code < 500;
    }

    public boolean permanent() {
        return code >= 500;
    }

    /** {@code 2xx}, {@code 4xx} or {@code 5xx} (the metric tag). */
    public String replyClass() {
        return (code / 100) + "xx";
    }

    /** The reply as one line: {@code 250 2.0.0 queued as X}; continuation lines joined by " / ". */
    @Override
    public String toString() {
        return code + " " + String.join(" / ", lines);
    }
}
