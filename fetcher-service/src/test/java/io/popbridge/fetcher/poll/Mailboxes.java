package io.popbridge.fetcher.poll;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** GreenMail POP3/POP3S servers on free ports and message builders for poll tests. */
final class Mailboxes {
    private Mailboxes() {
    }

    static GreenMail pop3() {
        GreenMail mail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3S)});
        mail.start();
        return mail;
    }

    /** A CRLF message of roughly {@code size} bytes. */
    static byte[] message(String subject, int size) {
        StringBuilder sb = new StringBuilder("From: sender@isp.example\r\nTo: alice@isp.example\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@isp.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        int line = 0;
        while (sb.length() < size) {
            sb.append("line ").append(line++).append(" of ").append(subject).append(" lorem ipsum dolor sit amet\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static void deliver(GreenMail mail, String login, byte[] raw) {
        try {
            mail.getUserManager().getUserByEmail(login + "@localhost")
                    .deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
