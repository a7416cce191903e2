package io.popbridge.router.message;

import java.util.Locale;

/**
 * One header field as it appears in the raw bytes.
 *
 * @param name  the field name as written
 * @param value the unfolded value (line breaks of folded lines removed), decoded as UTF-8 or, if that fails, ISO-8859-1
 * @param start offset of the field's first byte in the message
 * @param end   offset just after the field's last line terminator
 */
public record HeaderField(String name, String value, int start, int end) {
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
