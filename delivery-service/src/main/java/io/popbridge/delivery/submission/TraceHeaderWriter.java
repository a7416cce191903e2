package io.popbridge.delivery.submission;

import io.popbridge.contract.Pbid;
import io.popbridge.contract.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The header lines delivery prepends: {@code Received} (naming the POP3 source and account, dated at the fetch
 * so a resend is byte-identical), our loop marker, for fallback deliveries the reason and the original
 * recipient, and a deterministic {@code Message-ID} only if the message has none.
 */
public final class TraceHeaderWriter {
    private final String installationId;

    public TraceHeaderWriter(String installationId) {
        this.installationId = safe(installationId, 64);
    }

    public byte[] prefix(MailItem item, Rcpt group) {
        String source = safe(item.source(), 255);
        String host = source.contains(":") && !source.startsWith("[") ? source.substring(0, source.lastIndexOf(':')) : source;
        StringBuilder sb = new StringBuilder();
        sb.append("Received: from ").append(host.isEmpty() ? "unknown" : host)
                .append(" (POP3 ").append(source.isEmpty() ? "unknown" : source)
                .append(" account ").append(safe(item.accountName(), 100).replace('(', '[').replace(')', ']'))
                .append(" id ").append(safe(item.accountId(), 64)).append(")\r\n")
                .append("\tby popbridge (").append(installationId).append(") with POP3 id ").append(item.pbid()).append(";\r\n")
                .append('\t').append(DateTimeFormatter.RFC_1123_DATE_TIME.format(item.fetchedAt().atOffset(ZoneOffset.UTC)))
                .append("\r\n");
        sb.append(TraceHeaders.LOOP_MARKER).append(": ").append(TraceHeaders.loopMarkerValue(installationId, item.pbid())).append("\r\n");
        if (group.toFallback()) {
            sb.append(TraceHeaders.FALLBACK_REASON).append(": ").append(safe(group.fallbackReason(), 900)).append("\r\n");
            sb.append(TraceHeaders.ORIGINAL_RECIPIENT).append(": ").append(safe(group.original(), 512)).append("\r\n");
        }
        if (!item.headers().hasMessageId()) {
            sb.append("Message-ID: ").append(Pbid.syntheticMessageId(item.pbid())).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A notice to the fallback mailbox with the original attached as message/rfc822, for an original the fallback
     * refused as it is (a loop past the hop limit, content refused as malformed). Deterministic per pbid.
     */
    public byte[] noticePrefix(MailItem item, Rcpt rcpt) {
        String boundary = boundary(item);
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(item.fetchedAt().atOffset(ZoneOffset.UTC));
        String text = "popbridge could not deliver the attached message for " + safe(rcpt.original(), 512) + ".\r\n"
                + "Reason: " + safe(rcpt.fallbackReason(), 900) + "\r\n"
                + "The fallback mailbox refused the original as it is (" + safe(rcpt.notice(), 400) + "),\r\n"
                + "so it is attached here unchanged. popbridge id: " + item.pbid() + "\r\n";
        Rcpt header = new Rcpt(rcpt.address(), rcpt.original(), rcpt.smtpAddress(),
                rcpt.fallbackReason() + "; sent as an attachment: " + safe(rcpt.notice(), 400), rcpt.attempts(), rcpt.firstAttemptAt());
        String trace = new String(prefix(withMessageId(item), header), StandardCharsets.UTF_8);
        String headers = "From: popbridge <postmaster@popbridge.invalid>\r\n"
                + "To: <" + safe(rcpt.smtpAddress(), 512) + ">\r\n"
                + "Subject: [popbridge] undeliverable message attached (" + item.pbid() + ")\r\n"
                + "Date: " + date + "\r\n"
                + "Message-ID: <" + item.pbid() + ".notice@popbridge.invalid>\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n"
                + "--" + boundary + "\r\nContent-Type: message/rfc822\r\n"
                + "Content-Disposition: attachment; filename=\"" + item.pbid() + ".eml\"\r\n\r\n";
        return (trace + headers).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] noticeSuffix(MailItem item) {
        return ("\r\n--" + boundary(item) + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String boundary(MailItem item) {
        return "=_popbridge_" + item.pbid();
    }

    /** The notice has its own Message-ID: the trace part must not add the synthetic one. */
    private static MailItem withMessageId(MailItem item) {
        MessageHeaders h = item.headers();
        return new MailItem(item.pbid(), item.accountId(), item.accountName(), item.uidl(), item.fetchedAt(), item.source(),
                item.envelopeFrom(), item.fallback(), item.raw(), new MessageHeaders("<" + item.pbid() + ".notice@popbridge.invalid>",
                h.from(), h.subject()));
    }

    /** No CR, LF, NUL or other control character can reach a header line. */
    static String safe(String value, int max) {
        String v = value == null ? "" : value.replaceAll("[\\x00-\\x1f\\x7f]", " ").trim();
        return v.length() > max ? v.substring(0, max) : v;
    }
}
