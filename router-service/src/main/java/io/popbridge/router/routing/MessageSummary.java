package io.popbridge.router.routing;

import io.popbridge.router.message.HeaderField;
import io.popbridge.router.message.RawMessage;
import java.util.Optional;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * The headers an admin searches by (outcome events, preview), decoded and made printable.
 *
 * @param messageId the topmost Message-ID as written, or null if absent or unusable (then no duplicate check)
 */
public record MessageSummary(String messageId, String from, String subject) {
    private static final int MAX = 256;

    public static MessageSummary of(RawMessage message) {
        String id = message.topmost("Message-ID").map(HeaderField::value).map(String::strip)
                .filter(v -> !v.isEmpty() && v.length() <= 998 && v.chars().allMatch(c -> c > 0x20 && c < 0x7f))
                .orElse(null);
        return new MessageSummary(id, decoded(message.topmost("From")), decoded(message.topmost("Subject")));
    }

    private static String decoded(Optional<HeaderField> field) {
        if (field.isEmpty()) {
            return null;
        }
        String value;
        try {
            value = DecoderUtil.decodeEncodedWords(field.get().value(), DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            value = field.get().value();
        }
        String printable = value.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return printable.length() <= MAX ? printable : printable.substring(0, MAX - 3) + "...";
    }
}
