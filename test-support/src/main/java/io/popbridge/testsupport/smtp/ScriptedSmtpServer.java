package io.popbridge.testsupport.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP server on real sockets whose replies are scripted, for delivery tests: "answer 451 to RCPT twice,
 * then 250", "drop the connection after the final dot", "stall", "421 at greeting". It records exactly the bytes
 * it received for each transaction (as on the wire, dot-stuffed, and the content with the stuffing removed).
 *
 * <p>A script entry is an SMTP reply line ({@code "451 4.3.0 try later"}), or {@link #DROP} (close the
 * connection without a reply) or {@link #STALL} (never answer). Entries of a step are used in order, across
 * connections; once used up the step answers its default. DATA ends only at {@code <CRLF>.<CRLF>}, as RFC 5321
 * says, so a test can prove that no other sequence ends it early.
 */
public final class ScriptedSmtpServer implements AutoCloseable {
    public static final String DROP = "DROP";
    public static final String STALL = "STALL";

    /** The steps whose reply can be scripted. {@link #DOT} is the reply after the final dot or BDAT LAST. */
    public enum Step { GREETING, EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, DOT, RSET, NOOP, QUIT }

    /** One mail transaction as received; {@code wire} is DATA as sent (stuffed, with the terminator) or the BDAT chunks. */
    public record Transaction(String mailFrom, List<String> rcptTo, byte[] wire, byte[] content, String reply, boolean bdat,
                              boolean tls, String authUser) {
        public String contentAsString() {
            return new String(content, StandardCharsets.ISO_8859_1);
        }
    }

    private final Map<Step, Deque<String>> scripts = new EnumMap<>(Step.class);
    private final Set<String> capabilities;
    private final String user;
    private final String password;
    private final List<Transaction> transactions = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile ServerSocket server;
    private volatile int port;

    private ScriptedSmtpServer(Builder b) {
        b.scripts.forEach((step, replies) -> scripts.put(step, new ArrayDeque<>(replies)));
        this.capabilities = Set.copyOf(b.capabilities);
        this.user = b.user;
        this.password = b.password;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds a free loopback port (or the previous one after {@link #stop()}) and starts accepting. */
    public synchronized ScriptedSmtpServer start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = socket;
            port = socket.getLocalPort();
            Thread acceptor = new Thread(() -> acceptLoop(socket), "scripted-smtp-accept-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the scripted SMTP server", e);
        }
    }

    /** Closes the listening socket and every open connection: the target is "down" until {@link #start()}. */
    public synchronized void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** Adds replies to a step's script (used after those already queued). */
    public synchronized ScriptedSmtpServer script(Step step, String... replies) {
        scripts.computeIfAbsent(step, s -> new ArrayDeque<>()).addAll(List.of(replies));
        return this;
    }

    public List<Transaction> transactions() {
        return List.copyOf(transactions);
    }

    /** Every command line received, in order (AUTH payloads included: test credentials only). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** The most connections that were open at the same time. */
    public int maxConcurrentConnections() {
        return maxConcurrent.get();
    }

    public int openConnections() {
        return open.size();
    }

    /** Waits until at least {@code count} transactions were received; returns them. */
    public List<Transaction> awaitTransactions(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (transactions.size() < count && System.nanoTime() < deadline) {
            sleep(20);
        }
        return transactions();
    }

    /** The PEM of the server certificate (for a client that verifies it against a custom CA). */
    public static String certificatePem() {
        try {
            Certificate cert = keyStore().getCertificate("greenmail");
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test certificate", e);
        }
    }

    private static KeyStore keyStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = ScriptedSmtpServer.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks;
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                client.setTcpNoDelay(true);
                open.add(client);
                connections.incrementAndGet();
                maxConcurrent.accumulateAndGet(open.size(), Math::max);
                Thread t = new Thread(() -> serve(client), "scripted-smtp-" + port);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private synchronized String next(Step step, String otherwise) {
        Deque<String> queue = scripts.get(step);
        String reply = queue == null ? null : queue.poll();
        return reply == null ? otherwise : reply;
    }

    /** Connection state; replaced by STARTTLS. */
    private final class Session {
        Socket socket;
        InputStream in;
        OutputStream out;
        boolean tls;
        String authUser;
        String mailFrom;
        List<String> rcpts = new ArrayList<>();
        ByteArrayOutputStream bdatWire;
        ByteArrayOutputStream bdatContent;

        Session(Socket socket) throws IOException {
            attach(socket);
        }

        void attach(Socket s) throws IOException {
            this.socket = s;
            this.in = new java.io.BufferedInputStream(s.getInputStream());
            this.out = s.getOutputStream();
        }

        void reset() {
            mailFrom = null;
            rcpts = new ArrayList<>();
            bdatWire = null;
            bdatContent = null;
        }
    }

    /** Thrown to end a connection the way the script says. */
    private static final class Hangup extends IOException {
        Hangup() {
            super("scripted hang-up");
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            Session s = new Session(socket);
            reply(s, next(Step.GREETING, "220 scripted.test ESMTP ready"));
            while (true) {
                String line = readLine(s.in);
                if (line == null) {
                    return;
                }
                commands.add(line);
                String upper = line.toUpperCase(Locale.ROOT);
                String verb = upper.split(" ", 2)[0];
                switch (verb) {
                    case "EHLO" -> reply(s, next(Step.EHLO, ehloReply(s)));
                    case "HELO" -> reply(s, next(Step.HELO, "250 scripted.test"));
                    case "STARTTLS" -> startTls(s);
                    case "AUTH" -> auth(s, line);
                    case "MAIL" -> {
                        s.reset();
                        String r = next(Step.MAIL, "250 2.1.0 sender ok");
                        if (r.startsWith("2")) {
                            s.mailFrom = line.substring(line.indexOf(':') + 1).trim();
                        }
                        reply(s, r);
                    }
                    case "RCPT" -> {
                        String r = next(Step.RCPT, "250 2.1.5 recipient ok");
                        if (r.startsWith("2")) {
                            s.rcpts.add(line.substring(line.indexOf(':') + 1).trim());
                        }
                        reply(s, r);
                    }
                    case "DATA" -> data(s);
                    case "BDAT" -> bdat(s, line);
                    case "RSET" -> {
                        s.reset();
                        reply(s, next(Step.RSET, "250 2.0.0 reset"));
                    }
                    case "NOOP" -> reply(s, next(Step.NOOP, "250 2.0.0 ok"));
                    case "QUIT" -> {
                        reply(s, next(Step.QUIT, "221 2.0.0 bye"));
                        return;
                    }
                    default -> reply(s, "500 5.5.2 unknown command");
                }
            }
        } catch (IOException e) {
            // the client or the script hung up
        } finally {
            open.remove(socket);
        }
    }

    private String ehloReply(Session s) {
        List<String> lines = new ArrayList<>();
        lines.add("scripted.test");
        if (capabilities.contains("PIPELINING")) {
            lines.add("PIPELINING");
        }
        if (capabilities.contains("8BITMIME")) {
            lines.add("8BITMIME");
        }
        if (capabilities.contains("SMTPUTF8")) {
            lines.add("SMTPUTF8");
        }
        if (capabilities.contains("CHUNKING")) {
            lines.add("CHUNKING");
        }
        if (capabilities.contains("STARTTLS") && !s.tls) {
            lines.add("STARTTLS");
        }
        if (user != null) {
            lines.add("AUTH PLAIN LOGIN");
        }
        lines.add("SIZE 104857600");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
            if (i < lines.size() - 1) {
                sb.append("\r\n");
            }
        }
        return sb.toString();
    }

    private void startTls(Session s) throws IOException {
        String r = next(Step.STARTTLS, "220 2.0.0 ready to start TLS");
        reply(s, r);
        if (!r.startsWith("220")) {
            return;
        }
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(), "changeit".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(s.socket, null, s.socket.getPort(), true);
            tls.setUseClientMode(false);
            tls.startHandshake();
            open.add(tls);
            s.attach(tls);
            s.tls = true;
            s.reset();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("TLS set-up failed", e);
        }
    }

    private void auth(Session s, String line) throws IOException {
        String[] parts = line.split(" ");
        String mechanism = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        String givenUser;
        String givenPassword;
        if (mechanism.equals("PLAIN")) {
            String payload = parts.length > 2 ? parts[2] : prompt(s, "334 ");
            String[] fields = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8).split("\0", -1);
            givenUser = fields.length == 3 ? fields[1] : "";
            givenPassword = fields.length == 3 ? fields[2] : "";
        } else if (mechanism.equals("LOGIN")) {
            givenUser = decode(prompt(s, "334 VXNlcm5hbWU6"));
            givenPassword = decode(prompt(s, "334 UGFzc3dvcmQ6"));
        } else {
            reply(s, "504 5.5.4 mechanism not supported");
            return;
        }
        boolean ok = user != null && user.equals(givenUser) && password.equals(givenPassword);
        String r = next(Step.AUTH, ok ? "235 2.7.0 authenticated" : "535 5.7.8 authentication failed");
        if (r.startsWith("235")) {
            s.authUser = givenUser;
        }
        reply(s, r);
    }

    private String prompt(Session s, String challenge) throws IOException {
        reply(s, challenge);
        String answer = readLine(s.in);
        if (answer == null) {
            throw new Hangup();
        }
        commands.add(answer);
        return answer;
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private void data(Session s) throws IOException {
        if (s.mailFrom == null || s.rcpts.isEmpty()) {
            reply(s, "503 5.5.1 no valid recipients");
            return;
        }
        String r = next(Step.DATA, "354 end data with <CR><LF>.<CR><LF>");
        reply(s, r);
        if (!r.startsWith("354")) {
            return;
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        // State machine over the wire bytes: only CRLF "." CRLF ends the data; a line-initial dot is removed.
        int state = 2; // 0 mid-line, 1 after CR, 2 at line start (after CRLF), 3 after line-initial dot, 4 after CRLF "." CR
        while (true) {
            int b = s.in.read();
            if (b < 0) {
                throw new Hangup();
            }
            wire.write(b);
            switch (state) {
                case 2 -> {
                    if (b == '.') {
                        state = 3;
                    } else {
                        content.write(b);
                        state = b == '\r' ? 1 : 0;
                    }
                }
                case 3 -> {
                    if (b == '\r') {
                        state = 4;
                    } else {
                        content.write(b); // the stuffed dot was removed; this byte follows it
                        state = 0;
                    }
                }
                case 4 -> {
                    if (b == '\n') {
                        finish(s, wire.toByteArray(), content.toByteArray(), false);
                        return;
                    }
                    content.write('\r');
                    content.write(b);
                    state = b == '\r' ? 1 : 0;
                }
                case 1 -> {
                    content.write(b);
                    state = b == '\n' ? 2 : b == '\r' ? 1 : 0;
                }
                default -> {
                    content.write(b);
                    state = b == '\r' ? 1 : 0;
                }
            }
        }
    }

    private void bdat(Session s, String line) throws IOException {
        String[] parts = line.trim().split(" +");
        int size = Integer.parseInt(parts[1]);
        boolean last = parts.length > 2 && parts[2].equalsIgnoreCase("LAST");
        byte[] chunk = s.in.readNBytes(size);
        if (chunk.length < size) {
            throw new Hangup();
        }
        if (s.bdatWire == null) {
            s.bdatWire = new ByteArrayOutputStream();
            s.bdatContent = new ByteArrayOutputStream();
        }
        s.bdatWire.write(line.getBytes(StandardCharsets.ISO_8859_1));
        s.bdatWire.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        s.bdatWire.write(chunk);
        s.bdatContent.write(chunk);
        if (s.mailFrom == null || s.rcpts.isEmpty()) {
            reply(s, "503 5.5.1 no valid recipients");
            return;
        }
        if (last) {
            finish(s, s.bdatWire.toByteArray(), s.bdatContent.toByteArray(), true);
        } else {
            reply(s, "250 2.0.0 " + size + " octets received");
        }
    }

    private void finish(Session s, byte[] wire, byte[] content, boolean bdat) throws IOException {
        String r = next(Step.DOT, "250 2.0.0 queued as Q" + (transactions.size() + 1));
        transactions.add(new Transaction(s.mailFrom, List.copyOf(s.rcpts), wire, content, r, bdat, s.tls, s.authUser));
        s.reset();
        reply(s, r);
    }

    private void reply(Session s, String reply) throws IOException {
        if (DROP.equals(reply)) {
            closeQuietly(s.socket);
            throw new Hangup();
        }
        if (STALL.equals(reply)) {
            while (!s.socket.isClosed()) {
                sleep(50);
                if (s.socket.isClosed() || server.isClosed()) {
                    break;
                }
                try {
                    s.socket.setSoTimeout(50);
                    if (s.in.read() < 0) {
                        break;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // keep stalling
                }
            }
            throw new Hangup();
        }
        s.out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        s.out.flush();
        if (reply.startsWith("421")) {
            closeQuietly(s.socket);
            throw new Hangup();
        }
    }

    /** Reads one command line ending in CRLF (a bare LF is accepted too); null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private final Map<Step, List<String>> scripts = new EnumMap<>(Step.class);
        private final java.util.HashSet<String> capabilities = new java.util.HashSet<>(Set.of("8BITMIME"));
        private String user;
        private String password;

        public Builder script(Step step, String... replies) {
            scripts.computeIfAbsent(step, s -> new ArrayList<>()).addAll(List.of(replies));
            return this;
        }

        public Builder pipelining() {
            capabilities.add("PIPELINING");
            return this;
        }

        public Builder chunking() {
            capabilities.add("CHUNKING");
            return this;
        }

        public Builder starttls() {
            capabilities.add("STARTTLS");
            return this;
        }

        public Builder smtputf8() {
            capabilities.add("SMTPUTF8");
            return this;
        }

        public Builder without8bitmime() {
            capabilities.remove("8BITMIME");
            return this;
        }

        /** Advertises AUTH PLAIN LOGIN and accepts exactly these credentials. */
        public Builder auth(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public ScriptedSmtpServer build() {
            return new ScriptedSmtpServer(this);
        }

        /** Builds and starts on a free loopback port. */
        public ScriptedSmtpServer start() {
            return build().start();
        }
    }
}
