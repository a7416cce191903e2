package io.popbridge.router.message;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A raw RFC 5322 message split into its header fields, with byte offsets so that header removal leaves every
 * other byte untouched. Parsing never throws: the header section ends at the first empty line, or at the first
 * line that is neither a field ({@code name:}) nor a continuation (a message with no blank line before its body).
 */
public final class RawMessage {
    private final byte[] bytes;
    private final List<HeaderField> fields;
    private final int bodyStart;
    private final boolean blankLineSeen;

    private RawMessage(byte[] bytes, List<HeaderField> fields, int bodyStart, boolean blankLineSeen) {
        this.bytes = bytes;
        this.fields = fields;
        this.bodyStart = bodyStart;
        this.blankLineSeen = blankLineSeen;
    }

    public static RawMessage parse(byte[] raw) {
        byte[] bytes = raw == null ? new byte[0] : raw;
        List<HeaderField> fields = new ArrayList<>();
        int pos = 0;
        int fieldStart = -1;
        int nameEnd = -1;
        boolean blankLine = false;
        while (pos < bytes.length) {
            int lineEnd = lineEnd(bytes, pos);
            int next = nextLine(bytes, lineEnd);
            if (lineEnd == pos) { // empty line: end of the header section
                blankLine = true;
                closeField(bytes, fields, fieldStart, nameEnd, pos);
                fieldStart = -1;
                pos = next;
                break;
            }
            byte first = bytes[pos];
            if ((first == ' ' || first == '\t') && fieldStart >= 0) {
                pos = next; // continuation of a folded field
                continue;
            }
            int colon = fieldName(bytes, pos, lineEnd);
            if (colon < 0) { // not a header line: the body began without a blank line
                break;
            }
            closeField(bytes, fields, fieldStart, nameEnd, pos);
            fieldStart = pos;
            nameEnd = colon;
            pos = next;
        }
        if (fieldStart >= 0) {
            closeField(bytes, fields, fieldStart, nameEnd, pos);
        }
        return new RawMessage(bytes, List.copyOf(fields), pos, blankLine);
    }

    public byte[] bytes() {
        return bytes;
    }

    public List<HeaderField> fields() {
        return fields;
    }

    public int bodyStart() {
        return bodyStart;
    }

    /** False when the header section did not end with an empty line (or the message has no body at all). */
    public boolean blankLineSeen() {
        return blankLineSeen;
    }

    /** The topmost occurrence: the one the last hop (the ISP) wrote. */
    public Optional<HeaderField> topmost(String name) {
        return fields.stream().filter(f -> f.is(name)).findFirst();
    }

    public List<HeaderField> all(String name) {
        return fields.stream().filter(f -> f.is(name)).toList();
    }

    public int count(String name) {
        return (int) fields.stream().filter(f -> f.is(name)).count();
    }

    /** The message with every field named in {@code names} (case-insensitive) cut out; all other bytes unchanged. */
    public byte[] without(Collection<String> names) {
        Set<String> lower = names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toSet());
        List<HeaderField> removed = fields.stream().filter(f -> lower.contains(f.lowerName())).toList();
        if (removed.isEmpty()) {
            return bytes;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        int copied = 0;
        for (HeaderField field : removed) {
            out.write(bytes, copied, field.start() - copied);
            copied = field.end();
        }
        out.write(bytes, copied, bytes.length - copied);
        return out.toByteArray();
    }

    private static void closeField(byte[] bytes, List<HeaderField> fields, int start, int colon, int end) {
        if (start < 0) {
            return;
        }
        String name = new String(bytes, start, colon - start, StandardCharsets.US_ASCII);
        fields.add(new HeaderField(name, decode(unfold(bytes, colon + 1, end)).strip(), start, end));
    }

    /** Offset of the line terminator (CR of CRLF, or a lone LF), or the end of the bytes. */
    private static int lineEnd(byte[] bytes, int from) {
        int i = from;
        while (i < bytes.length && bytes[i] != '\n') {
            i++;
        }
        return i > from && bytes[i - 1] == '\r' ? i - 1 : i;
    }

    private static int nextLine(byte[] bytes, int lineEnd) {
        int i = lineEnd;
        if (i < bytes.length && bytes[i] == '\r') {
            i++;
        }
        if (i < bytes.length && bytes[i] == '\n') {
            i++;
        }
        return i;
    }

    /** Offset of the colon if the line starts with a field name (printable ASCII except ':'), else -1. */
    private static int fieldName(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == ':') {
                return i > from ? i : -1;
            }
            if (b < 33 || b > 126) {
                return -1;
            }
        }
        return -1;
    }

    /** The value bytes with the CRLF (or LF) of each fold removed; other bytes, control characters included, kept. */
    private static byte[] unfold(byte[] bytes, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == '\r' && i + 1 < to && bytes[i + 1] == '\n') {
                continue;
            }
            if (b == '\n' && (i + 1 >= to || bytes[i + 1] == ' ' || bytes[i + 1] == '\t')) {
                continue;
            }
            if (b == '\r' && i + 1 >= to) {
                continue;
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /** RFC 6532 allows UTF-8 in headers; anything else (legacy 8-bit) is read byte for byte as ISO-8859-1. */
    private static String decode(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return new String(value, StandardCharsets.ISO_8859_1);
        }
    }
}
