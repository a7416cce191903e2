package io.popbridge.delivery.submission;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The few header fields an admin searches by (Message-ID, From, Subject), read from the header section of the
 * raw bytes without changing them. Values are unfolded, control characters removed, and cut to 256 characters.
 */
public record MessageHeaders(String messageId, String from, String subject) {
    private static final int MAX_HEADER_BYTES = 256 * 1024;
    private static final int MAX_VALUE = 256;

    public boolean hasMessageId() {
        return messageId != null;
    }

    public static MessageHeaders parse(byte[] raw) {
        String messageId = null;
        String from = null;
        String subject = null;
        int limit = Math.min(raw.length, MAX_HEADER_BYTES);
        int pos = 0;
        StringBuilder field = null;
        while (pos < limit) {
            int end = pos;
            while (end < limit && raw[end] != '\n') {
                end++;
            }
            int lineEnd = end > pos && raw[end - 1] == '\r' ? end - 1 : end;
            String line = new String(raw, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            pos = end + 1;
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (continuation && field != null) {
                field.append(' ').append(line.trim());
                continue;
            }
            if (field != null) {
                String f = field.toString();
                int colon = f.indexOf(':');
                String name = f.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = clean(f.substring(colon + 1));
                switch (name) {
                    case "message-id" -> messageId = messageId == null ? value : messageId;
                    case "from" -> from = from == null ? value : from;
                    case "subject" -> subject = subject == null ? value : subject;
                    default -> { }
                }
                field = null;
            }
            if (line.isEmpty()) {
                break; // end of the header section
            }
            if (line.indexOf(':') > 0 && !continuation) {
                field = new StringBuilder(line);
            }
        }
        return new MessageHeaders(messageId, from, subject);
    }

    private static String clean(String value) {
        String v = value.replaceAll("[\\x00-\\x1f\\x7f]", " ").trim();
        return v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) : v;
    }
}
