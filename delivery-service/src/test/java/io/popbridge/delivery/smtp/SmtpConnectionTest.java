package io.popbridge.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.popbridge.testsupport.smtp.ScriptedSmtpServer;
import io.popbridge.testsupport.smtp.ScriptedSmtpServer.Step;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SMTP client against the scripted server on real sockets. */
class SmtpConnectionTest {
    private ScriptedSmtpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static SmtpEndpoint endpoint(ScriptedSmtpServer s, SmtpSecurity security, String user, String password, String mechanism) {
        return new SmtpEndpoint(s.host(), s.port(), security, false, null, user, password, mechanism, "popbridge.test",
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    static SmtpEndpoint plain(ScriptedSmtpServer s) {
        return endpoint(s, SmtpSecurity.NONE, null, null, null);
    }

    /** Messages that break naive clients: bare LF, lone dots, 8-bit, NUL, no final CRLF, 5,000-byte lines. */
    static final List<byte[]> NASTY = List.of(
            "Subject: bare lf\nFrom: a@b\n\nline one\nline two".getBytes(StandardCharsets.ISO_8859_1),
            "Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nx\r\n.\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "Subject: 8bit\r\n\r\ncaf\u00e9 \u00fc\u00df\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "Subject: nul\r\n\r\na\u0000b\r\n".getBytes(StandardCharsets.ISO_8859_1),
            ("Subject: long\r\n\r\n" + "x".repeat(5000) + "\r\n" + ".".repeat(5000)).getBytes(StandardCharsets.ISO_8859_1),
            "Subject: smuggle\r\n\r\nhi\n.\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<victim@y>\r\nDATA\r\nboo\r\n.\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "Subject: cr smuggle\r\n\r\nhi\r.\rQUIT\r\n".getBytes(StandardCharsets.ISO_8859_1));

    static byte[] normalised(byte[] prefix, byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SmtpBody(prefix, raw).write(out, false);
        return out.toByteArray();
    }

    private void sendsEachNastyMessageByteExact(ScriptedSmtpServer s) throws IOException {
        byte[] prefix = "X-Trace: 1\r\n".getBytes(StandardCharsets.US_ASCII);
        try (SmtpConnection c = SmtpConnection.open(plain(s))) {
            for (byte[] raw : NASTY) {
                TransactionResult r = c.send("sender@isp.test", List.of("a@example.com", "b@example.com"), new SmtpBody(prefix, raw));
                assertThat(r.data().code()).isEqualTo(250);
            }
        }
        List<ScriptedSmtpServer.Transaction> got = s.transactions();
        assertThat(got).hasSize(NASTY.size());
        for (int i = 0; i < NASTY.size(); i++) {
            assertThat(got.get(i).content()).as("message %d", i).isEqualTo(normalised(prefix, NASTY.get(i)));
            assertThat(got.get(i).rcptTo()).containsExactly("<a@example.com>", "<b@example.com>");
        }
        assertThat(s.connections()).as("one reused connection").isEqualTo(1);
    }

    @Test
    void data_transfer_is_byte_exact_after_crlf_normalisation_and_never_ends_early() throws IOException {
        server = ScriptedSmtpServer.builder().start();
        sendsEachNastyMessageByteExact(server);
        assertThat(server.transactions()).noneMatch(ScriptedSmtpServer.Transaction::bdat);
        assertThat(server.commands()).noneMatch(c -> c.contains("evil"));
    }

    @Test
    void bdat_transfer_with_pipelining_is_byte_exact() throws IOException {
        server = ScriptedSmtpServer.builder().pipelining().chunking().start();
        sendsEachNastyMessageByteExact(server);
        assertThat(server.transactions()).allMatch(ScriptedSmtpServer.Transaction::bdat);
    }

    @Test
    void pipelined_data_transfer_is_byte_exact_and_asks_for_8bitmime_only_when_needed() throws IOException {
        server = ScriptedSmtpServer.builder().pipelining().start();
        sendsEachNastyMessageByteExact(server);
        assertThat(server.commands().stream().filter(c -> c.startsWith("MAIL")).toList())
                .containsExactly("MAIL FROM:<sender@isp.test>", "MAIL FROM:<sender@isp.test>",
                        "MAIL FROM:<sender@isp.test> BODY=8BITMIME", "MAIL FROM:<sender@isp.test>",
                        "MAIL FROM:<sender@isp.test>", "MAIL FROM:<sender@isp.test>", "MAIL FROM:<sender@isp.test>");
    }

    @Test
    void null_sender_and_refused_recipients_are_reported_per_recipient() throws IOException {
        server = ScriptedSmtpServer.builder().pipelining().script(Step.RCPT, "250 ok", "550 5.1.1 no such user", "451 4.3.0 later").start();
        try (SmtpConnection c = SmtpConnection.open(plain(server))) {
            TransactionResult r = c.send("", List.of("a@x.test", "b@x.test", "c@x.test"),
                    new SmtpBody(new byte[0], "S: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(r.replyFor(0).code()).isEqualTo(250);
            assertThat(r.replyFor(1).code()).isEqualTo(550);
            assertThat(r.replyFor(2).code()).isEqualTo(451);
        }
        assertThat(server.transactions()).singleElement().satisfies(t -> {
            assertThat(t.mailFrom()).isEqualTo("<>");
            assertThat(t.rcptTo()).containsExactly("<a@x.test>");
        });
    }

    @Test
    void asks_for_smtputf8_only_for_non_ascii_addresses_when_offered() throws IOException {
        server = ScriptedSmtpServer.builder().smtputf8().start();
        try (SmtpConnection c = SmtpConnection.open(plain(server))) {
            SmtpBody body = new SmtpBody(new byte[0], "S: t\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII));
            c.send("a@b.test", List.of("j\u00f6rg@example.com"), body);
            c.send("a@b.test", List.of("joerg@example.com"), body);
        }
        assertThat(server.commands().stream().filter(c -> c.startsWith("MAIL")).toList())
                .containsExactly("MAIL FROM:<a@b.test> SMTPUTF8", "MAIL FROM:<a@b.test>");
        assertThat(server.transactions().get(0).rcptTo()).containsExactly("<j\u00f6rg@example.com>");
    }

    @Test
    void starttls_required_upgrades_when_offered_and_fails_when_absent() throws IOException {
        server = ScriptedSmtpServer.builder().starttls().start();
        try (SmtpConnection c = SmtpConnection.open(endpoint(server, SmtpSecurity.STARTTLS_REQUIRED, null, null, null))) {
            assertThat(c.tls()).isTrue();
            c.send("a@b.test", List.of("x@y.test"), new SmtpBody(new byte[0], "S: t\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat(server.transactions()).singleElement().satisfies(t -> assertThat(t.tls()).isTrue());
        server.close();

        server = ScriptedSmtpServer.builder().start();
        assertThatThrownBy(() -> SmtpConnection.open(endpoint(server, SmtpSecurity.STARTTLS_REQUIRED, null, null, null)))
                .isInstanceOf(SmtpException.class).hasMessageContaining("STARTTLS is required");
    }

    @Test
    void starttls_if_offered_uses_tls_when_offered_and_plain_when_absent() throws IOException {
        server = ScriptedSmtpServer.builder().starttls().start();
        try (SmtpConnection c = SmtpConnection.open(endpoint(server, SmtpSecurity.STARTTLS_IF_OFFERED, null, null, null))) {
            assertThat(c.tls()).isTrue();
        }
        server.close();
        server = ScriptedSmtpServer.builder().start();
        try (SmtpConnection c = SmtpConnection.open(endpoint(server, SmtpSecurity.STARTTLS_IF_OFFERED, null, null, null))) {
            assertThat(c.tls()).isFalse();
        }
    }

    @Test
    void certificate_verification_is_on_unless_switched_off() {
        server = ScriptedSmtpServer.builder().starttls().start();
        SmtpEndpoint verifying = new SmtpEndpoint(server.host(), server.port(), SmtpSecurity.STARTTLS_REQUIRED, true, null,
                null, null, null, "popbridge.test", Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThatThrownBy(() -> SmtpConnection.open(verifying)).isInstanceOf(SmtpException.class).hasMessageContaining("TLS");
    }

    @Test
    void auth_plain_and_login_succeed_with_the_right_password_and_fail_with_a_wrong_one() throws IOException {
        server = ScriptedSmtpServer.builder().starttls().auth("relay", "s3cret").start();
        for (String mechanism : List.of("PLAIN", "LOGIN")) {
            try (SmtpConnection c = SmtpConnection.open(endpoint(server, SmtpSecurity.STARTTLS_REQUIRED, "relay", "s3cret", mechanism))) {
                c.send("a@b.test", List.of("x@y.test"), new SmtpBody(new byte[0], "S: t\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII)));
            }
        }
        assertThat(server.transactions()).hasSize(2).allSatisfy(t -> assertThat(t.authUser()).isEqualTo("relay"));
        List<SmtpStep> steps = new ArrayList<>();
        assertThatThrownBy(() -> SmtpConnection.open(endpoint(server, SmtpSecurity.STARTTLS_REQUIRED, "relay", "wrong", "PLAIN"), steps))
                .isInstanceOf(SmtpException.class).hasMessageContaining("535");
        assertThat(steps).extracting(SmtpStep::step).containsExactly("greeting", "EHLO", "STARTTLS", "TLS", "EHLO (TLS)", "AUTH");
        assertThat(steps.toString()).doesNotContain("wrong").doesNotContain("d3Jvbm");
    }

    @Test
    void a_421_greeting_fails_the_connection_before_any_data() {
        server = ScriptedSmtpServer.builder().script(Step.GREETING, "421 4.3.2 too busy").start();
        assertThatThrownBy(() -> SmtpConnection.open(plain(server)))
                .isInstanceOfSatisfying(SmtpException.class, e -> {
                    assertThat(e.dataSent()).isFalse();
                    assertThat(e.reply().code()).isEqualTo(421);
                });
    }

    @Test
    void a_connection_dropped_or_stalled_after_the_final_dot_is_reported_as_data_sent() throws IOException {
        server = ScriptedSmtpServer.builder().script(Step.DOT, ScriptedSmtpServer.DROP, ScriptedSmtpServer.STALL).start();
        for (int i = 0; i < 2; i++) {
            try (SmtpConnection c = SmtpConnection.open(plain(server))) {
                assertThatThrownBy(() -> c.send("a@b.test", List.of("x@y.test"),
                        new SmtpBody(new byte[0], "S: t\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII))))
                        .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.dataSent()).isTrue());
            }
        }
        assertThat(server.transactions()).hasSize(2);
    }

    @Test
    void a_connection_refused_fails_without_data() throws IOException {
        // A port bound but not listening refuses connections, and nothing else in this JVM can take it meanwhile
        // (a stopped server's freed port once got re-bound by another listener that greeted with 220).
        try (Socket holder = new Socket()) {
            holder.setReuseAddress(false);
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SmtpEndpoint refusing = new SmtpEndpoint("127.0.0.1", holder.getLocalPort(), SmtpSecurity.NONE, false, null,
                    null, null, null, "popbridge.test", Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
            assertThatThrownBy(() -> SmtpConnection.open(refusing))
                    .isInstanceOfSatisfying(SmtpException.class, e -> {
                        assertThat(e.dataSent()).isFalse();
                        assertThat(e.getMessage()).contains("ConnectException");
                    });
        }
    }
}
