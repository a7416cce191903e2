package io.popbridge.stack.demo;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ISP's POP3 server for the demo and the end-to-end tests: GreenMail in this JVM, with mailboxes
 * added by {@link #mailbox(String, String)} and raw messages put into them by {@link #deliver(String, String)}.
 */
public final class DemoIsp implements AutoCloseable {
    private final GreenMail greenMail;
    private final String host;
    private final int port;
    private final Map<String, GreenMailUser> mailboxes = new LinkedHashMap<>();

    public DemoIsp(String host, int port) {
        this.host = host;
        this.port = port;
        this.greenMail = new GreenMail(new ServerSetup(port, host, ServerSetup.PROTOCOL_POP3));
        greenMail.start();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public GreenMail greenMail() {
        return greenMail;
    }

    /**
     * Adds a POP3 mailbox (login = {@code login}). GreenMail numbers UIDLs from 1 in every run; they start at
     * the current time instead, so a restarted demo never offers a new message under a UIDL the fetcher
     * already saw in an earlier run.
     */
    public synchronized void mailbox(String login, String password) {
        if (mailboxes.containsKey(login)) {
            return;
        }
        GreenMailUser user = greenMail.setUser(login + "@isp.test", login, password);
        mailboxes.put(login, user);
        try {
            MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
            Field nextUid = inbox.getClass().getDeclaredField("nextUid");
            nextUid.setAccessible(true);
            ((AtomicLong) nextUid.get(inbox)).set(System.currentTimeMillis());
        } catch (FolderException | ReflectiveOperationException | RuntimeException e) {
            // an unexpected GreenMail version: UIDLs start at 1, harmless for a fresh database
        }
    }

    /** Puts a raw RFC 5322 message into a mailbox, as the ISP's MTA would. */
    public void deliver(String login, String rawMessage) {
        deliver(login, rawMessage.getBytes(StandardCharsets.UTF_8));
    }

    public void deliver(String login, byte[] rawMessage) {
        GreenMailUser user = mailboxes.get(login);
        if (user == null) {
            throw new IllegalArgumentException("no mailbox " + login);
        }
        try {
            user.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(rawMessage)));
        } catch (MessagingException e) {
            throw new IllegalArgumentException("not a message", e);
        }
    }

    /** Messages waiting in a mailbox (not yet deleted by a POP3 client). */
    public int count(String login) {
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(mailboxes.get(login)).getMessageCount();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        mailboxes.keySet().forEach(login -> counts.put(login, count(login)));
        return counts;
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
