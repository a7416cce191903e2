package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.popbridge.contract.Pbid;
import io.popbridge.stack.demo.ExchangeStandIn.ReceivedMail;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What Exchange stores is the ISP's message byte for byte, after the trace header lines popbridge prepends:
 * {@code Received}, {@code X-Popbridge-Loop} and, only for a message without one, a {@code Message-ID}.
 */
@StackTest
class ByteExactBodyTest {
    /** Set in e2e-stack.properties for router and delivery. */
    private static final String INSTALLATION = "popbridge-e2e";
    /** The prepended lines; compared as ISO-8859-1 text, which maps each byte to one char. */
    private static final Pattern TRACE = Pattern.compile("\\AReceived: from [^\r\n]+\r\n"
            + "\tby popbridge \\(" + INSTALLATION + "\\) with POP3 id ([0-9A-Za-z_-]+);\r\n"
            + "\t[^\r\n]+\r\n"
            + "X-Popbridge-Loop: installation=" + INSTALLATION + "; pbid=\\1\r\n");

    @Test
    void stores_lone_dots_eight_bit_bytes_and_long_lines_unchanged_after_the_trace_headers() {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox("bytes");
        String login = mailbox.login();
        String withId = "<" + login + "@e2e.test>";
        byte[] tricky = tricky(withId);
        byte[] noId = ("From: <sender@partner.example>\r\nSubject: no Message-ID\r\n\r\n"
                + "popbridge adds one, and nothing else\r\n.\r\n").getBytes(StandardCharsets.US_ASCII);
        Stack.isp().deliver(login, tricky);
        Stack.isp().deliver(login, noId);

        String account = mailbox.createSingleAccount();
        List<ReceivedMail> mails = await().atMost(Polls.DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> Stack.exchange().receivedFor(mailbox.target()), list -> list.size() >= 2);
        Polls.awaitIspEmpty(account, login);

        assertThat(Stack.exchange().receivedFor(mailbox.target())).hasSize(2);
        ReceivedMail first = mails.stream().filter(m -> Mails.messageId(m).equals(withId)).findFirst().orElseThrow();
        ReceivedMail second = mails.stream().filter(m -> m != first).findFirst().orElseThrow();
        assertStoredAs(first, tricky, "");
        String pbid = Mails.pbid(second);
        assertStoredAs(second, noId, "Message-ID: " + Pbid.syntheticMessageId(pbid) + "\r\n");
    }

    /** Lone dots (one would end DATA if not stuffed), bytes 0x80-0xFF, a 998-octet line and a 5,000-octet line. */
    private static byte[] tricky(String messageId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("From: <sender@partner.example>\r\nTo: <office@isp.test>\r\nSubject: bytes\r\n"
                + "Message-ID: " + messageId + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + ".\r\n..\r\n...\r\n.leading dot\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("Gr\u00fc\u00dfe \u00e0 bient\u00f4t\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int b = 0x80; b <= 0xff; b++) {
            out.write(b);
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("UTF-8 too: \u20ac \u00e9\r\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("a".repeat(998) + "\r\n" + "b".repeat(5000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("the last line is a lone dot\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void assertStoredAs(ReceivedMail mail, byte[] original, String addedMessageId) {
        String stored = iso(mail.data());
        Matcher trace = TRACE.matcher(stored);
        assertThat(trace.lookingAt()).as("starts with Received and X-Popbridge-Loop:\n%s", stored).isTrue();
        assertThat(stored.substring(trace.end())).as("after popbridge's trace headers")
                .isEqualTo(addedMessageId + iso(original));
        assertThat(mail.files()).singleElement().satisfies(file ->
                assertThat(iso(Files.readAllBytes(file))).as("the stored file").isEqualTo(stored));
    }

    private static String iso(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
