package io.popbridge.delivery.smtp;

import io.popbridge.common.tls.ClientTls;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small, strict SMTP client connection (RFC 5321): EHLO (HELO if refused), STARTTLS, AUTH PLAIN/LOGIN,
 * PIPELINING, 8BITMIME, SMTPUTF8, CHUNKING (BDAT). One instance is used by one thread at a time; it may carry
 * several transactions (connection reuse).
 */
public final class SmtpConnection implements Closeable {
    private static final byte[] CRLF = {'\r', '\n'};
    private final SmtpEndpoint endpoint;
    private final List<SmtpStep> transcript;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Map<String, String> capabilities = Map.of();
    private boolean tls;
    private boolean broken;
    private int transactions;
    private long lastUsedNanos = System.nanoTime();

    private SmtpConnection(SmtpEndpoint endpoint, List<SmtpStep> transcript) {
        this.endpoint = endpoint;
        this.transcript = transcript;
    }

    /** Connects, greets, secures and authenticates as the endpoint says; throws if any step fails. */
    public static SmtpConnection open(SmtpEndpoint endpoint) throws SmtpException {
        return open(endpoint, null);
    }

    /** As {@link #open(SmtpEndpoint)}, recording every step in {@code transcript} (for a target test). */
    public static SmtpConnection open(SmtpEndpoint endpoint, List<SmtpStep> transcript) throws SmtpException {
        SmtpConnection c = new SmtpConnection(endpoint, transcript);
        try {
            c.connect();
            return c;
        } catch (SmtpException e) {
            c.close();
            throw e;
        } catch (IOException e) {
            c.close();
            throw new SmtpException(describe(e), null, false, e);
        }
    }

    private static String describe(IOException e) {
        String what = e instanceof SocketTimeoutException ? "timeout" : e.getClass().getSimpleName();
        return what + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void connect() throws IOException {
        Socket plain = new Socket();
        plain.setTcpNoDelay(true);
        plain.setSoTimeout((int) endpoint.readTimeout().toMillis());
        plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) endpoint.connectTimeout().toMillis());
        attach(plain);
        if (endpoint.security() == SmtpSecurity.TLS) {
            upgradeToTls();
        }
        expect("greeting", null, read(), 220);
        ehlo();
        boolean offered = capabilities.containsKey("STARTTLS");
        if (!tls && (endpoint.security() == SmtpSecurity.STARTTLS_REQUIRED
                || endpoint.security() == SmtpSecurity.STARTTLS_IF_OFFERED && offered)) {
            if (!offered) {
                throw new SmtpException("STARTTLS is required but the server does not offer it", null);
            }
            expect("STARTTLS", "STARTTLS", command("STARTTLS"), 220);
            upgradeToTls();
            ehlo();
        }
        if (endpoint.authenticates()) {
            authenticate();
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    }

    private void upgradeToTls() throws IOException {
        try {
            SSLContext ctx = ClientTls.context(endpoint.verifyCertificate(), endpoint.customCaPem());
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, endpoint.host(), endpoint.port(), true);
            ClientTls.configure(ssl, endpoint.verifyCertificate());
            ssl.startHandshake();
            attach(ssl);
            tls = true;
            step("TLS", null, ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite());
        } catch (IOException e) {
            throw new SmtpException("TLS handshake failed: " + e.getMessage(), null, false, e);
        } catch (Exception e) {
            throw new SmtpException("TLS set-up failed: " + e.getMessage(), null, false, e);
        }
    }

    private void ehlo() throws IOException {
        String helo = endpoint.heloName();
        SmtpReply reply = command("EHLO " + helo);
        step(tls ? "EHLO (TLS)" : "EHLO", "EHLO " + helo, reply);
        if (reply.code() == 250) {
            Map<String, String> caps = new HashMap<>();
            for (String line : reply.lines().subList(1, reply.lines().size())) {
                String[] kv = line.trim().split(" ", 2);
                caps.put(kv[0].toUpperCase(Locale.ROOT), kv.length > 1 ? kv[1] : "");
            }
            capabilities = caps;
            return;
        }
        if (reply.code() == 421) {
            throw new SmtpException("EHLO refused: " + reply, reply);
        }
        expect("HELO", "HELO " + helo, command("HELO " + helo), 250);
        capabilities = Map.of();
    }

    private void authenticate() throws IOException {
        String offered = capabilities.get("AUTH");
        String mechanism = endpoint.authMechanism() == null ? "PLAIN" : endpoint.authMechanism().toUpperCase(Locale.ROOT);
        if (offered == null || !List.of(offered.toUpperCase(Locale.ROOT).split(" ")).contains(mechanism)) {
            throw new SmtpException("the server does not offer AUTH " + mechanism
                    + (offered == null ? " (no AUTH at all" + (tls ? ")" : "; STARTTLS first?)") : " (offers " + offered + ")"), null);
        }
        SmtpReply reply;
        if (mechanism.equals("PLAIN")) {
            String token = b64("\0" + endpoint.username() + "\0" + endpoint.password());
            reply = command("AUTH PLAIN " + token);
        } else {
            SmtpReply r = command("AUTH LOGIN");
            if (r.code() == 334) {
                r = command(b64(endpoint.username()));
            }
            reply = r.code() == 334 ? command(b64(endpoint.password())) : r;
        }
        expect("AUTH", "AUTH " + mechanism + " (credentials hidden)", reply, 235);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Records a step; fails unless the reply has the expected code. */
    private void expect(String step, String command, SmtpReply reply, int code) throws SmtpException {
        step(step, command, reply);
        if (reply.code() != code) {
            throw new SmtpException(step + " refused: " + reply, reply);
        }
    }

    private void step(String step, String command, Object reply) {
        if (transcript != null) {
            transcript.add(new SmtpStep(step, command, String.valueOf(reply)));
        }
    }

    /**
     * One mail transaction. Recipients refused individually are reported in the result; a broken connection
     * throws, with {@link SmtpException#dataSent()} telling whether the server may already have the message.
     */
    public TransactionResult send(String mailFrom, List<String> recipients, SmtpBody body) throws SmtpException {
        boolean dataSent = false;
        try {
            boolean pipelining = capabilities.containsKey("PIPELINING");
            boolean bdat = capabilities.containsKey("CHUNKING");
            StringBuilder mail = new StringBuilder("MAIL FROM:<").append(mailFrom).append('>');
            if (capabilities.containsKey("8BITMIME") && body.eightBit()) {
                mail.append(" BODY=8BITMIME");
            }
            if (capabilities.containsKey("SMTPUTF8") && !isAscii(mailFrom, recipients)) {
                mail.append(" SMTPUTF8");
            }
            List<SmtpReply> rcptReplies = new ArrayList<>();
            SmtpReply mailReply;
            SmtpReply dataReply = null;
            if (pipelining) {
                write(mail.toString());
                for (String r : recipients) {
                    write("RCPT TO:<" + r + ">");
                }
                if (!bdat) {
                    write("DATA");
                }
                out.flush();
                mailReply = read();
                for (int i = 0; i < recipients.size(); i++) {
                    rcptReplies.add(read());
                }
                if (!bdat) {
                    dataReply = read();
                }
            } else {
                mailReply = command(mail.toString());
                for (String r : recipients) {
                    rcptReplies.add(mailReply.positive() ? command("RCPT TO:<" + r + ">") : mailReply);
                }
            }
            failOn421(mailReply);
            rcptReplies.forEach(this::failOn421Unchecked);
            boolean anyAccepted = mailReply.positive() && rcptReplies.stream().anyMatch(SmtpReply::positive);
            if (!anyAccepted) {
                if (dataReply != null && dataReply.code() == 354) {
                    write(".");
                    out.flush();
                    read();
                }
                reset();
                transactions++;
                return new TransactionResult(mailReply, rcptReplies, null);
            }
            if (bdat) {
                write("BDAT " + body.normalisedLength() + " LAST");
                body.write(out, false);
            } else {
                if (dataReply == null) {
                    dataReply = command("DATA");
                }
                if (dataReply.code() != 354) {
                    failOn421(dataReply);
                    reset();
                    transactions++;
                    return new TransactionResult(mailReply, rcptReplies, dataReply);
                }
                body.write(out, true);
                write(".");
            }
            out.flush();
            dataSent = true;
            socket.setSoTimeout((int) endpoint.dataTimeout().toMillis());
            SmtpReply fin = read();
            socket.setSoTimeout((int) endpoint.readTimeout().toMillis());
            transactions++;
            lastUsedNanos = System.nanoTime();
            if (fin.code() == 421) {
                broken = true;
            }
            return new TransactionResult(mailReply, rcptReplies, fin);
        } catch (SmtpException e) {
            broken = true;
            if (dataSent && !e.dataSent()) {
                throw new SmtpException("no reply after the message data: " + e.getMessage(), e.reply(), true, e);
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            broken = true;
            Throwable cause = e instanceof UncheckedSmtp u ? u.getCause() : e;
            if (cause instanceof SmtpException se) {
                throw se;
            }
            throw new SmtpException((dataSent ? "no reply after the message data: " : "connection failed: ")
                    + (cause instanceof IOException io ? describe(io) : cause.toString()), null, dataSent, cause);
        }
    }

    private static boolean isAscii(String from, List<String> recipients) {
        return from.chars().allMatch(c -> c < 128) && recipients.stream().allMatch(r -> r.chars().allMatch(c -> c < 128));
    }

    private void failOn421(SmtpReply reply) throws SmtpException {
        if (reply.code() == 421) {
            broken = true;
            throw new SmtpException("the server is closing the connection: " + reply, reply);
        }
    }

    private void failOn421Unchecked(SmtpReply reply) {
        try {
            failOn421(reply);
        } catch (SmtpException e) {
            throw new UncheckedSmtp(e);
        }
    }

    private static final class UncheckedSmtp extends RuntimeException {
        UncheckedSmtp(SmtpException e) {
            super(e);
        }
    }

    private void reset() throws IOException {
        SmtpReply r = command("RSET");
        if (!r.positive()) {
            broken = true;
        }
    }

    /** True if the connection can carry another transaction. */
    public boolean reusable() {
        return !broken && socket != null && !socket.isClosed();
    }

    public int transactions() {
        return transactions;
    }

    public long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    public boolean tls() {
        return tls;
    }

    /** Stops using an extension the server offered (for measurements and for servers that get one wrong). */
    public void ignoreExtension(String keyword) {
        Map<String, String> caps = new HashMap<>(capabilities);
        caps.remove(keyword.toUpperCase(Locale.ROOT));
        capabilities = caps;
    }

    /** EHLO keywords (upper case) with their parameters. */
    public Map<String, String> capabilities() {
        return Map.copyOf(capabilities);
    }

    /** Ends the session politely (QUIT) and closes the socket; never throws. */
    public void quit() {
        if (reusable()) {
            try {
                socket.setSoTimeout(2000);
                SmtpReply r = command("QUIT");
                step("QUIT", "QUIT", r);
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        close();
    }

    @Override
    public void close() {
        broken = true;
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    private SmtpReply command(String line) throws IOException {
        write(line);
        out.flush();
        return read();
    }

    private void write(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a command line must not contain CR, LF or NUL");
        }
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }

    /** Reads one reply: lines {@code ddd-text} followed by {@code ddd text}, all with the same code. */
    private SmtpReply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
                broken = true;
                throw new SmtpException("malformed reply line: " + line.substring(0, Math.min(80, line.length())), null);
            }
            int c = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && c != code) {
                broken = true;
                throw new SmtpException("reply codes differ within one reply", null);
            }
            code = c;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new SmtpReply(code, lines);
            }
            if (lines.size() > 100) {
                throw new SmtpException("reply too long", null);
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new SmtpException("connection closed by the server", null);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            if (line.size() > 4096) {
                throw new SmtpException("reply line too long", null);
            }
            line.write(b);
        }
    }
}
