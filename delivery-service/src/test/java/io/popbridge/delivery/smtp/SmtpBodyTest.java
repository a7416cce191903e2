package io.popbridge.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpBodyTest {

    private static String wire(String prefix, String original, boolean dotStuff) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SmtpBody(prefix.getBytes(StandardCharsets.ISO_8859_1), original.getBytes(StandardCharsets.ISO_8859_1)).write(out, dotStuff);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void normalises_bare_lf_and_bare_cr_to_crlf_and_adds_a_final_crlf() throws IOException {
        assertThat(wire("", "a\nb\rc\r\nd", false)).isEqualTo("a\r\nb\r\nc\r\nd\r\n");
        assertThat(wire("", "a\r\r\nb\n\n", false)).isEqualTo("a\r\n\r\nb\r\n\r\n");
        assertThat(wire("", "ends with cr\r", false)).isEqualTo("ends with cr\r\n");
    }

    @Test
    void doubles_every_line_initial_dot_for_data_but_not_for_bdat() throws IOException {
        assertThat(wire("X: 1\r\n", ".\n..x\n.y\nmid.dot\n", true)).isEqualTo("X: 1\r\n..\r\n...x\r\n..y\r\nmid.dot\r\n");
        assertThat(wire("", ".\n", false)).isEqualTo(".\r\n");
    }

    @Test
    void no_smuggling_sequence_can_produce_the_data_terminator() throws IOException {
        String[] smuggle = {"a\n.\r\nMAIL FROM:<x>\r\n", "a\r.\r\nMAIL", "a\r\n.\nMAIL", "a\r.\rMAIL", "a\n.\nMAIL", "a\r\n.\r\n"};
        for (String s : smuggle) {
            String out = wire("", s, true);
            assertThat(out).as("for %s", s.replace("\r", "<CR>").replace("\n", "<LF>"))
                    .doesNotContain("\r\n.\r\n").doesNotStartWith(".\r\n");
            assertThat(out.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        }
    }

    @Test
    void reports_the_normalised_length_and_8bit_content() {
        SmtpBody body = new SmtpBody("H: v\r\n".getBytes(StandardCharsets.US_ASCII), "a\nb\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(body.normalisedLength()).isEqualTo(6 + 3 + 4);
        assertThat(body.eightBit()).isTrue();
        assertThat(new SmtpBody(new byte[0], "plain\n".getBytes(StandardCharsets.US_ASCII)).eightBit()).isFalse();
    }

    @Test
    void the_fast_path_for_crlf_mail_writes_exactly_what_the_normaliser_writes() throws IOException {
        java.util.Random random = new java.util.Random(20261122);
        byte[] alphabet = ".ab\r\n.".getBytes(StandardCharsets.US_ASCII);
        int canonicalSeen = 0;
        for (int run = 0; run < 5000; run++) {
            byte[] original;
            if (run % 2 == 0) { // CRLF lines, many starting with dots: the fast path
                StringBuilder sb = new StringBuilder();
                for (int line = random.nextInt(6); line > 0; line--) {
                    sb.append(".a.b..".substring(random.nextInt(6))).append("\r\n");
                }
                original = sb.toString().getBytes(StandardCharsets.US_ASCII);
            } else {
                original = new byte[random.nextInt(12)];
                for (int i = 0; i < original.length; i++) {
                    original[i] = alphabet[random.nextInt(alphabet.length)];
                }
            }
            SmtpBody body = new SmtpBody("X-P: 1\r\n".getBytes(StandardCharsets.US_ASCII), original);
            canonicalSeen += SmtpBody.canonical(original) ? 1 : 0;
            for (boolean dotStuff : new boolean[] {true, false}) {
                ByteArrayOutputStream fast = new ByteArrayOutputStream();
                ByteArrayOutputStream general = new ByteArrayOutputStream();
                body.write(fast, dotStuff);
                body.writeNormalised(general, dotStuff);
                assertThat(fast.toByteArray()).as("run %d, dotStuff %s", run, dotStuff).isEqualTo(general.toByteArray());
                if (!dotStuff) {
                    assertThat(body.normalisedLength()).isEqualTo(general.size());
                }
            }
        }
        assertThat(canonicalSeen).as("inputs that took the fast path").isGreaterThan(2500);
    }
}
