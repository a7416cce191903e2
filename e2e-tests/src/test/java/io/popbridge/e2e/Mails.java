package io.popbridge.e2e;

import io.popbridge.stack.demo.ExchangeStandIn.ReceivedMail;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reading what the Exchange stand-in accepted: copies by Message-ID, header values, popbridge's trace headers. */
final class Mails {
    static final String LOOP_MARKER = "X-Popbridge-Loop";
    static final String FALLBACK_REASON = "X-Popbridge-Fallback-Reason";
    static final String ORIGINAL_RECIPIENT = "X-Popbridge-Original-Recipient";

    private Mails() {
    }

    /** Every accepted message (any recipient) whose header carries this Message-ID. */
    static List<ReceivedMail> withMessageId(String messageId) {
        return Stack.exchange().received().stream().filter(mail -> messageId.equals(messageId(mail))).toList();
    }

    /** Message-ID → number of accepted copies, for the messages accepted for {@code recipient}. */
    static Map<String, Long> copiesFor(String recipient) {
        return Stack.exchange().receivedFor(recipient).stream()
                .collect(Collectors.groupingBy(Mails::messageId, Collectors.counting()));
    }

    static String messageId(ReceivedMail mail) {
        return header(mail, "Message-ID").orElse("?");
    }

    /** The pbid popbridge wrote into its loop marker ({@code installation=<id>; pbid=<pbid>}). */
    static String pbid(ReceivedMail mail) {
        String marker = header(mail, LOOP_MARKER).orElseThrow(() -> new AssertionError("no " + LOOP_MARKER + ":\n" + mail.text()));
        return marker.substring(marker.indexOf("pbid=") + "pbid=".length()).strip();
    }

    /** The first (topmost) field of that name in the header section, unfolded; empty if absent. */
    static Optional<String> header(ReceivedMail mail, String name) {
        String text = new String(mail.data(), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String section = (end < 0 ? text : text.substring(0, end)).replaceAll("\r\n[ \t]", " ");
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return section.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(line -> line.substring(prefix.length()).strip()).findFirst();
    }
}
