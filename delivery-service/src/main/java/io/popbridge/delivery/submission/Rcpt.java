package io.popbridge.delivery.submission;

import java.time.Instant;

/**
 * One recipient on its way. {@code address} is the routed address (the ledger key and the outcome's recipient);
 * when {@code fallbackReason} is set the mail goes to {@code smtpAddress}, the fallback mailbox, with that reason.
 *
 * @param attempts        attempts made before this one
 * @param firstAttemptAt  when the first attempt was made (null: this is the first)
 * @param notice          set when the original goes as a message/rfc822 attachment of a notice: the refusal that
 *                        made it necessary
 */
public record Rcpt(String address, String original, String smtpAddress, String fallbackReason, int attempts,
                   Instant firstAttemptAt, String notice) {

    public Rcpt(String address, String original, String smtpAddress, String fallbackReason, int attempts, Instant firstAttemptAt) {
        this(address, original, smtpAddress, fallbackReason, attempts, firstAttemptAt, null);
    }

    /** The same fallback delivery as a notice with the original attached (the fallback refused the original's content). */
    public Rcpt asNotice(String refusal) {
        return new Rcpt(address, original, smtpAddress, fallbackReason, attempts, firstAttemptAt, refusal);
    }

    public boolean isNotice() {
        return notice != null;
    }

    public static Rcpt direct(String address, String original) {
        return new Rcpt(address, original, address, null, 0, null);
    }

    public boolean toFallback() {
        return fallbackReason != null;
    }

    public Rcpt toFallback(String fallbackMailbox, String reason) {
        return new Rcpt(address, original, fallbackMailbox, reason, attempts, firstAttemptAt);
    }

    public String domain() {
        int at = smtpAddress.lastIndexOf('@');
        return at < 0 ? "" : smtpAddress.substring(at + 1);
    }
}
