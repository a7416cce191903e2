package io.popbridge.delivery.smtp;

import java.util.List;

/**
 * Replies of one mail transaction.
 *
 * @param rcpt one reply per recipient, in the order given
 * @param data the reply that ended the transaction (after the final dot or BDAT LAST, or a refused DATA);
 *             null when no recipient was accepted and no data was sent
 */
public record TransactionResult(SmtpReply mail, List<SmtpReply> rcpt, SmtpReply data) {
    public TransactionResult {
        rcpt = List.copyOf(rcpt);
    }

    /** The reply that decides recipient {@code i}: its own RCPT reply unless that was accepted, then the data reply. */
    public SmtpReply replyFor(int i) {
        if (!mail.positive()) {
            return mail;
        }
        SmtpReply r = rcpt.get(i);
        return r.positive() && data != null ? data : r;
    }
}
