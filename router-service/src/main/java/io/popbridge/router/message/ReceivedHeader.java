package io.popbridge.router.message;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code for} clause of a Received header ({@code ... for <alice@example.com>; date}). */
public final class ReceivedHeader {
    private static final Pattern FOR = Pattern.compile("(?i)(?:^|\\s)for\\s+(<[^<>]*>|[^\\s<>;]+)");

    private ReceivedHeader() {
    }

    /** The recipient token of the clause; comments and the date part are ignored, so "(using TLS for x)" is not it. */
    public static Optional<String> forClause(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String tokens = stripComments(value);
        int semicolon = tokens.lastIndexOf(';');
        if (semicolon >= 0) {
            tokens = tokens.substring(0, semicolon);
        }
        Matcher m = FOR.matcher(tokens);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Removes (nested) RFC 5322 comments outside quoted strings. */
    public static String stripComments(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                if (depth == 0) {
                    out.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (c == '"' && depth == 0) {
                quoted = !quoted;
                out.append(c);
            } else if (c == '(' && !quoted) {
                depth++;
            } else if (c == ')' && !quoted && depth > 0) {
                depth--;
                if (depth == 0) {
                    out.append(' ');
                }
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
