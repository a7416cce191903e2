package io.popbridge.fetcher.pop3;

import io.popbridge.common.tls.ClientTls;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * A small strict POP3 client (RFC 1939, 2449 CAPA/PIPELINING, 2595 STLS, 5034 SASL PLAIN and XOAUTH2). It streams RETR
 * data with dot-unstuffing into a buffer sized from LIST, lets the caller pipeline RETR commands
 * ({@link #sendRetr}/{@link #readRetr}), and classifies every failure ({@link Pop3Exception.Kind}).
 * Not thread-safe: one session, one thread (only {@link #abort} may come from another).
 */
public final class Pop3Client implements AutoCloseable {
    private static final byte[] CRLF = {'\r', '\n'};
    private final Pop3Endpoint endpoint;
    private volatile Socket socket;
    private volatile String abortedBecause;
    private LineReader in;
    private OutputStream out;
    private String greeting;
    private List<String> capabilities = List.of();
    private String lastReply;

    private Pop3Client(Pop3Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Connects, negotiates TLS as configured and reads the greeting and capabilities (not logged in yet). */
    public static Pop3Client connect(Pop3Endpoint endpoint) throws Pop3Exception {
        Pop3Client client = new Pop3Client(endpoint);
        try {
            client.open();
            return client;
        } catch (Pop3Exception e) {
            client.close();
            throw e;
        }
    }

    private void open() throws Pop3Exception {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.setSoTimeout((int) endpoint.readTimeout().toMillis());
            plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) endpoint.connectTimeout().toMillis());
        } catch (UnknownHostException e) {
            closeQuietly(plain);
            throw new Pop3Exception(Pop3Exception.Kind.CONNECT, "unknown host " + endpoint.host(), null, e);
        } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
            closeQuietly(plain);
            throw new Pop3Exception(Pop3Exception.Kind.CONNECT, "cannot connect to " + endpoint.source() + ": " + e.getMessage(), null, e);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new Pop3Exception(Pop3Exception.Kind.CONNECT, "cannot connect to " + endpoint.source() + ": " + e, null, e);
        }
        socket = plain;
        try {
            if (endpoint.security() == Pop3Security.TLS) {
                startTls();
            } else {
                attach();
            }
            greeting = expectOk("greeting");
            capabilities = capa();
            if (endpoint.security() == Pop3Security.STARTTLS) {
                if (!capabilities.isEmpty() && !capabilities.contains("STLS")) {
                    throw new Pop3Exception(Pop3Exception.Kind.TLS, "server does not offer STLS", greeting);
                }
                String reply = command("STLS");
                if (!reply.startsWith("+OK")) {
                    throw new Pop3Exception(Pop3Exception.Kind.TLS, "server refused STLS", reply);
                }
                startTls();
                capabilities = capa();
            }
        } catch (IOException e) {
            throw classify(e, "connect");
        }
    }

    private void startTls() throws IOException {
        try {
            SSLContext context = ClientTls.context(endpoint.verifyCertificate(), endpoint.customCaPem());
            SSLSocket tls = (SSLSocket) context.getSocketFactory()
                    .createSocket(socket, endpoint.host(), endpoint.port(), true);
            ClientTls.configure(tls, endpoint.verifyCertificate());
            tls.startHandshake();
            socket = tls;
            attach();
        } catch (GeneralSecurityException e) {
            throw new Pop3Exception(Pop3Exception.Kind.TLS, "TLS set-up failed: " + e.getMessage(), null, e);
        } catch (SSLException e) {
            throw new Pop3Exception(Pop3Exception.Kind.TLS, "TLS handshake with " + endpoint.source() + " failed: " + rootMessage(e), null, e);
        }
    }

    private void attach() throws IOException {
        in = new LineReader(socket.getInputStream());
        out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    public String greeting() {
        return greeting;
    }

    public List<String> capabilities() {
        return capabilities;
    }

    public boolean supportsPipelining() {
        return capabilities.contains("PIPELINING");
    }

    /** The last single-line reply (for error reports). */
    public String lastReply() {
        return lastReply;
    }

    /** Logs in with the endpoint's mechanism; a refusal is {@link Pop3Exception.Kind#AUTH} with the reply. */
    public String login() throws Pop3Exception {
        try {
            return switch (endpoint.auth()) {
                case USER_PASS -> {
                    String user = command("USER " + endpoint.username());
                    if (!user.startsWith("+OK")) {
                        throw new Pop3Exception(Pop3Exception.Kind.AUTH, "USER refused", user);
                    }
                    yield authReply(command("PASS " + secret()));
                }
                case APOP -> {
                    int start = greeting.indexOf('<');
                    int end = greeting.indexOf('>', start + 1);
                    if (start < 0 || end < 0) {
                        throw new Pop3Exception(Pop3Exception.Kind.AUTH, "server greeting has no APOP timestamp", greeting);
                    }
                    String digest = md5(greeting.substring(start, end + 1) + secret());
                    yield authReply(command("APOP " + endpoint.username() + " " + digest));
                }
                case SASL_PLAIN -> authReply(command("AUTH PLAIN " + base64("\0" + endpoint.username() + "\0" + secret())));
                case XOAUTH2 -> xoauth2();
            };
        } catch (IOException e) {
            throw classify(e, "login");
        }
    }

    private String secret() throws Pop3Exception {
        return endpoint.credential().secret();
    }

    /**
     * SASL XOAUTH2 without an initial response (RFC 5034 requires servers to accept that form). A refused token
     * comes back as a {@code +} challenge carrying a base64 JSON error, which SASL answers with an empty line
     * before the server's {@code -ERR}.
     */
    private String xoauth2() throws IOException {
        String token = secret();
        String ready = command("AUTH XOAUTH2");
        if (!ready.startsWith("+")) {
            throw new Pop3Exception(Pop3Exception.Kind.AUTH, "server does not accept AUTH XOAUTH2", ready);
        }
        String reply = command(base64("user=" + endpoint.username() + "\u0001auth=Bearer " + token + "\u0001\u0001"));
        if (!reply.startsWith("+OK") && reply.startsWith("+")) {
            String error = decodeChallenge(reply.substring(1).trim());
            String refused = command("");
            endpoint.credential().refused();
            throw new Pop3Exception(Pop3Exception.Kind.AUTH, "login refused: access token not accepted " + error, refused);
        }
        return authReply(reply);
    }

    private static String decodeChallenge(String challenge) {
        try {
            return new String(Base64.getDecoder().decode(challenge), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return challenge;
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private String authReply(String reply) throws Pop3Exception {
        if (!reply.startsWith("+OK")) {
            endpoint.credential().refused();
            throw new Pop3Exception(Pop3Exception.Kind.AUTH, "login refused", reply);
        }
        return reply;
    }

    /** STAT: {count, octets}. */
    public long[] stat() throws Pop3Exception {
        try {
            String[] parts = expectOk("STAT").split(" ");
            return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
        } catch (IOException e) {
            throw classify(e, "STAT");
        } catch (RuntimeException e) {
            throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "malformed STAT reply", lastReply);
        }
    }

    /** UIDL for every message: number → unique id, in server order. A server without UIDL fails here. */
    public Map<Integer, String> uidl() throws Pop3Exception {
        try {
            String reply = command("UIDL");
            if (!reply.startsWith("+OK")) {
                throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL,
                        "server does not support UIDL; popbridge needs unique ids to never fetch a message twice", reply);
            }
            Map<Integer, String> ids = new LinkedHashMap<>();
            for (String line : multiLine()) {
                String[] parts = line.trim().split(" +", 2);
                if (parts.length != 2) {
                    throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "malformed UIDL line", line);
                }
                ids.put(Integer.parseInt(parts[0]), parts[1]);
            }
            return ids;
        } catch (NumberFormatException e) {
            throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "malformed UIDL listing", lastReply);
        } catch (IOException e) {
            throw classify(e, "UIDL");
        }
    }

    /** LIST: number → size in octets. */
    public Map<Integer, Long> list() throws Pop3Exception {
        try {
            expectOk("LIST");
            Map<Integer, Long> sizes = new LinkedHashMap<>();
            for (String line : multiLine()) {
                String[] parts = line.trim().split(" +");
                sizes.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            }
            return sizes;
        } catch (RuntimeException e) {
            throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "malformed LIST listing", lastReply);
        } catch (IOException e) {
            throw classify(e, "LIST");
        }
    }

    /** Sends RETR without reading the answer (pipelining); flush with {@link #flush()}. */
    public void sendRetr(int number) throws Pop3Exception {
        try {
            out.write(("RETR " + number).getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
        } catch (IOException e) {
            throw classify(e, "RETR");
        }
    }

    public void flush() throws Pop3Exception {
        try {
            out.flush();
        } catch (IOException e) {
            throw classify(e, "flush");
        }
    }

    /** Reads the answer to one RETR: the message bytes as sent, dot-unstuffed, without the terminating line. */
    public byte[] readRetr(long expectedSize) throws Pop3Exception {
        try {
            String status = statusLine();
            if (!status.startsWith("+OK")) {
                throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "RETR refused", status);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, expectedSize + 64));
            while (true) {
                int len = in.readLine();
                byte[] buf = in.line();
                if (len > 0 && buf[0] == '.') {
                    if (len == 3 && buf[1] == '\r' && buf[2] == '\n' || len == 2 && buf[1] == '\n') {
                        return body.toByteArray();
                    }
                    body.write(buf, 1, len - 1);
                } else {
                    body.write(buf, 0, len);
                }
            }
        } catch (IOException e) {
            throw classify(e, "RETR");
        }
    }

    public byte[] retr(int number, long expectedSize) throws Pop3Exception {
        sendRetr(number);
        flush();
        return readRetr(expectedSize);
    }

    /** Marks a message deleted; the server removes it only when QUIT succeeds. */
    public void dele(int number) throws Pop3Exception {
        try {
            expectOk("DELE " + number);
        } catch (IOException e) {
            throw classify(e, "DELE");
        }
    }

    /** Sends DELE for every number pipelined, then reads every answer. */
    public void deleAll(List<Integer> numbers) throws Pop3Exception {
        if (!supportsPipelining()) {
            for (int n : numbers) {
                dele(n);
            }
            return;
        }
        try {
            for (int n : numbers) {
                out.write(("DELE " + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            for (int n : numbers) {
                String reply = statusLine();
                if (!reply.startsWith("+OK")) {
                    throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "DELE " + n + " refused", reply);
                }
            }
        } catch (IOException e) {
            throw classify(e, "DELE");
        }
    }

    /** QUIT: commits deletes. Returns the server's reply; a missing reply means nothing was committed. */
    public String quit() throws Pop3Exception {
        try {
            return expectOk("QUIT");
        } catch (IOException e) {
            throw classify(e, "QUIT");
        } finally {
            close();
        }
    }

    private List<String> capa() throws IOException {
        String reply = command("CAPA");
        if (!reply.startsWith("+OK")) {
            return List.of();
        }
        List<String> caps = new ArrayList<>();
        for (String line : multiLine()) {
            caps.add(line.trim().toUpperCase(Locale.ROOT));
        }
        return caps;
    }

    private String expectOk(String what) throws IOException {
        String reply = "greeting".equals(what) ? statusLine() : command(what);
        if (!reply.startsWith("+OK")) {
            throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL, what.split(" ")[0] + " refused", reply);
        }
        return reply;
    }

    /** Sends one command line. Never log it: PASS, APOP and the SASL responses carry secrets. */
    private String command(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
        out.flush();
        return statusLine();
    }

    private String statusLine() throws IOException {
        int len = in.readLine();
        int end = len;
        byte[] buf = in.line();
        while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r')) {
            end--;
        }
        lastReply = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
        boolean saslContinuation = lastReply.equals("+") || lastReply.startsWith("+ ");
        if (!lastReply.startsWith("+OK") && !lastReply.startsWith("-ERR") && !saslContinuation) {
            throw new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "not a POP3 reply", truncate(lastReply));
        }
        return lastReply;
    }

    private List<String> multiLine() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            int len = in.readLine();
            byte[] buf = in.line();
            int end = len;
            while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r')) {
                end--;
            }
            int start = 0;
            if (end > 0 && buf[0] == '.') {
                if (end == 1) {
                    return lines;
                }
                start = 1;
            }
            lines.add(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
        }
    }

    private Pop3Exception classify(IOException e, String step) {
        if (abortedBecause != null) {
            return new Pop3Exception(Pop3Exception.Kind.TIMEOUT, abortedBecause + " (during " + step + ")", lastReply, e);
        }
        if (e instanceof Pop3Exception p) {
            return p;
        }
        if (e instanceof SocketTimeoutException) {
            return new Pop3Exception(Pop3Exception.Kind.TIMEOUT,
                    "no data from " + endpoint.source() + " for " + endpoint.readTimeout().toSeconds() + " s during " + step, lastReply, e);
        }
        if (e instanceof SSLException) {
            return new Pop3Exception(Pop3Exception.Kind.TLS, "TLS failure during " + step + ": " + rootMessage(e), lastReply, e);
        }
        if (e instanceof EOFException) {
            return new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "connection closed by server during " + step, lastReply, e);
        }
        return new Pop3Exception(Pop3Exception.Kind.PROTOCOL, "connection lost during " + step + ": " + e.getMessage(), lastReply, e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String truncate(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ends the session from another thread (the one place this class is used across threads): the socket closes,
     * so a read blocked on a server that trickles bytes fails at once, with TIMEOUT and {@code reason}. Nothing
     * is committed: the server keeps every message a DELE marked, as on any dropped connection.
     */
    public void abort(String reason) {
        abortedBecause = reason;
        close();
    }

    @Override
    public void close() {
        if (socket != null) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Reads LF-terminated lines into a reusable buffer from a 64 KiB read buffer. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[65536];
        private int pos;
        private int limit;
        private byte[] line = new byte[1024];

        LineReader(InputStream in) {
            this.in = in;
        }

        /** Reads one line including its terminator into {@link #line()}; returns its length. */
        int readLine() throws IOException {
            int len = 0;
            while (true) {
                if (pos == limit) {
                    limit = in.read(buffer);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        throw new EOFException("connection closed");
                    }
                }
                int start = pos;
                while (pos < limit && buffer[pos] != '\n') {
                    pos++;
                }
                boolean complete = pos < limit;
                if (complete) {
                    pos++;
                }
                int chunk = pos - start;
                if (len + chunk > line.length) {
                    line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, len + chunk));
                }
                System.arraycopy(buffer, start, line, len, chunk);
                len += chunk;
                if (complete) {
                    return len;
                }
            }
        }

        byte[] line() {
            return line;
        }
    }
}
