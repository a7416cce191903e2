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

    /** No CR, LF, NUL or other control character can reach a header line. */
    static String safe(String value, int max) {
        String v = value == null ? "" : value.replaceAll("[\\x00-\\x1f\\x7f]", " ").trim();
        return v.length() > max ? v.substring(0, max) : v;
    }
}
