package io.popbridge.testsupport.pop3;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small, strict POP3 server whose mailbox holds exact bytes (8-bit, binary, no final CRLF survive RETR
 * byte for byte, dot-stuffed on the wire) and which misbehaves on request: stall in the middle of a RETR or trickle
 * it a byte at a time, drop the connection instead of answering QUIT (so DELE never commits), refuse UIDL.
 * It speaks USER/PASS, APOP (its
 * greeting carries a timestamp), AUTH PLAIN and XOAUTH2 (password = the valid bearer token), CAPA (with PIPELINING), STAT, LIST, UIDL, RETR, DELE, RSET,
 * NOOP, STLS and QUIT; with an {@link SSLContext} it serves implicit TLS or offers STLS. One thread per connection; free port.
 */
public final class ScriptedPop3Server implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final Map<String, byte[]> mailbox = new LinkedHashMap<>();
    private final SSLContext tls;
    private volatile SSLContext starttls;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger committedDeletes = new AtomicInteger();
    private volatile String user = "user";
    private volatile String password = "secret";
    private volatile boolean uidl = true;
    private volatile boolean dropOnQuit;
    private volatile int stallRetrAfterBytes = -1;
    private volatile long stallMillis = 60_000;
    private final Set<String> stallUidls = ConcurrentHashMap.newKeySet();
    private final Set<String> trickleUidls = ConcurrentHashMap.newKeySet();
    private volatile long trickleMillis;
    private volatile boolean closed;

    private ScriptedPop3Server(SSLContext tls) throws IOException {
        this.tls = tls;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "scripted-pop3-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** A plain-text server on a free loopback port. */
    public static ScriptedPop3Server start() throws IOException {
        return new ScriptedPop3Server(null);
    }

    /** An implicit-TLS (POP3S) server presenting the key of {@code tls}. */
    public static ScriptedPop3Server startTls(SSLContext tls) throws IOException {
        return new ScriptedPop3Server(tls);
    }

    /** A plain-text server that offers STLS (RFC 2595) with the key of {@code tls}. */
    public static ScriptedPop3Server startWithStls(SSLContext tls) throws IOException {
        ScriptedPop3Server server = new ScriptedPop3Server(null);
        server.starttls = tls;
        return server;
    }

    public int port() {
        return server.getLocalPort();
    }

    public ScriptedPop3Server credentials(String user, String password) {
        this.user = user;
        this.password = password;
        return this;
    }

    /** Adds a message with the given UIDL; returns this server. */
    public synchronized ScriptedPop3Server add(String uidl, byte[] raw) {
        mailbox.put(uidl, raw.clone());
        return this;
    }

    public synchronized Map<String, byte[]> messages() {
        return new LinkedHashMap<>(mailbox);
    }

    /** Answer UIDL with -ERR (and omit it from CAPA). */
    public ScriptedPop3Server withoutUidl() {
        this.uidl = false;
        return this;
    }

    /** On QUIT, close the connection without answering or committing deletes (a drop after DELE). */
    public ScriptedPop3Server dropOnQuit(boolean drop) {
        this.dropOnQuit = drop;
        return this;
    }

    /** While sending the message with this UIDL, stop after {@code afterBytes} bytes and say nothing more. */
    public ScriptedPop3Server stallDuringRetr(String uidl, int afterBytes, long millis) {
        stallUidls.add(uidl);
        this.stallRetrAfterBytes = afterBytes;
        this.stallMillis = millis;
        return this;
    }

    public ScriptedPop3Server noStall() {
        stallUidls.clear();
        trickleUidls.clear();
        return this;
    }

    /** While sending the message with this UIDL, send one byte every {@code millis} (a read timeout never fires). */
    public ScriptedPop3Server trickleDuringRetr(String uidl, long millis) {
        trickleUidls.add(uidl);
        this.trickleMillis = millis;
        return this;
    }

    /** Every command line received, passwords included (test servers only). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    public int sessions() {
        return sessions.get();
    }

    public int committedDeletes() {
        return committedDeletes.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                if (tls != null) {
                    SSLSocketFactory factory = tls.getSocketFactory();
                    SSLSocket ssl = (SSLSocket) factory.createSocket(socket, null, socket.getPort(), true);
                    ssl.setUseClientMode(false);
                    socket = ssl;
                }
                open.add(socket);
                Socket session = socket;
                Thread t = new Thread(() -> serve(session), "scripted-pop3-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("[scripted-pop3] accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        sessions.incrementAndGet();
        String timestamp = "<" + System.nanoTime() + "@scripted>";
        Socket current = socket;
        try {
            InputStream in = current.getInputStream();
            OutputStream out = new BufferedOutputStream(current.getOutputStream());
            line(out, "+OK scripted POP3 ready " + timestamp);
            out.flush();
            String pendingUser = null;
            boolean authenticated = false;
            List<String> uidls = List.of();
            List<byte[]> bodies = List.of();
            Set<Integer> deleted = new java.util.HashSet<>();
            String command;
            while ((command = readLine(in)) != null) {
                commands.add(command);
                String[] parts = command.split(" ", 2);
                String verb = parts[0].toUpperCase();
                String arg = parts.length > 1 ? parts[1] : "";
                switch (verb) {
                    case "CAPA" -> {
                        line(out, "+OK capabilities");
                        line(out, "USER");
                        line(out, "SASL PLAIN XOAUTH2");
                        line(out, "PIPELINING");
                        if (starttls != null && !(current instanceof SSLSocket)) {
                            line(out, "STLS");
                        }
                        if (uidl) {
                            line(out, "UIDL");
                        }
                        line(out, ".");
                    }
                    case "USER" -> {
                        pendingUser = arg;
                        line(out, "+OK send PASS");
                    }
                    case "PASS", "APOP", "AUTH" -> {
                        boolean ok = switch (verb) {
                            case "PASS" -> user.equals(pendingUser) && password.equals(arg);
                            case "APOP" -> arg.equals(user + " " + md5(timestamp + password));
                            default -> sasl(arg, in, out);
                        };
                        if (!ok) {
                            line(out, "-ERR [AUTH] invalid credentials");
                        } else {
                            authenticated = true;
                            synchronized (this) {
                                uidls = new ArrayList<>(mailbox.keySet());
                                bodies = new ArrayList<>(mailbox.values());
                            }
                            line(out, "+OK logged in");
                        }
                    }
                    case "STAT" -> {
                        long size = 0;
                        int count = 0;
                        for (int i = 0; i < bodies.size(); i++) {
                            if (!deleted.contains(i)) {
                                count++;
                                size += bodies.get(i).length;
                            }
                        }
                        line(out, authenticated ? "+OK " + count + " " + size : "-ERR not authenticated");
                    }
                    case "LIST", "UIDL" -> {
                        if (!authenticated || ("UIDL".equals(verb) && !uidl)) {
                            line(out, "-ERR command not supported");
                        } else if (!arg.isEmpty()) {
                            int i = Integer.parseInt(arg.trim()) - 1;
                            line(out, "+OK " + (i + 1) + " " + ("UIDL".equals(verb) ? uidls.get(i) : bodies.get(i).length));
                        } else {
                            line(out, "+OK listing");
                            for (int i = 0; i < bodies.size(); i++) {
                                if (!deleted.contains(i)) {
                                    line(out, (i + 1) + " " + ("UIDL".equals(verb) ? uidls.get(i) : bodies.get(i).length));
                                }
                            }
                            line(out, ".");
                        }
                    }
                    case "RETR" -> {
                        int i = Integer.parseInt(arg.trim()) - 1;
                        if (!authenticated || i < 0 || i >= bodies.size() || deleted.contains(i)) {
                            line(out, "-ERR no such message");
                        } else {
                            line(out, "+OK " + bodies.get(i).length + " octets");
                            byte[] stuffed = dotStuff(bodies.get(i));
                            if (stallUidls.contains(uidls.get(i))) {
                                out.write(stuffed, 0, Math.min(stallRetrAfterBytes, stuffed.length));
                                out.flush();
                                Thread.sleep(stallMillis);
                                return;
                            }
                            if (trickleUidls.contains(uidls.get(i))) {
                                for (byte b : stuffed) {
                                    out.write(b);
                                    out.flush();
                                    Thread.sleep(trickleMillis);
                                }
                            } else {
                                out.write(stuffed);
                            }
                            line(out, ".");
                        }
                    }
                    case "DELE" -> {
                        int i = Integer.parseInt(arg.trim()) - 1;
                        if (!authenticated || i < 0 || i >= bodies.size() || deleted.contains(i)) {
                            line(out, "-ERR no such message");
                        } else {
                            deleted.add(i);
                            line(out, "+OK deleted");
                        }
                    }
                    case "RSET" -> {
                        deleted.clear();
                        line(out, "+OK");
                    }
                    case "NOOP" -> line(out, "+OK");
                    case "STLS" -> {
                        if (starttls == null || current instanceof SSLSocket || authenticated) {
                            line(out, "-ERR STLS not available");
                        } else {
                            line(out, "+OK begin TLS negotiation");
                            out.flush();
                            SSLSocket ssl = (SSLSocket) starttls.getSocketFactory()
                                    .createSocket(current, null, current.getPort(), true);
                            ssl.setUseClientMode(false);
                            ssl.startHandshake();
                            current = ssl;
                            open.add(ssl);
                            in = ssl.getInputStream();
                            out = new BufferedOutputStream(ssl.getOutputStream());
                        }
                    }
                    case "QUIT" -> {
                        if (dropOnQuit) {
                            out.flush();
                            return;
                        }
                        synchronized (this) {
                            for (int i : deleted) {
                                mailbox.remove(uidls.get(i));
                                committedDeletes.incrementAndGet();
                            }
                        }
                        line(out, "+OK bye");
                        out.flush();
                        return;
                    }
                    default -> line(out, "-ERR unknown command");
                }
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or the test closed the server
        } finally {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            open.remove(socket);
            open.remove(current);
        }
    }

    /** Dot-stuffs lines starting with '.', ends the data with CRLF if it does not (RFC 1939 section 3). */
    static byte[] dotStuff(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 64);
        boolean lineStart = true;
        for (byte b : raw) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (raw.length > 0 && !lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
    }

    private static void line(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * AUTH PLAIN (initial response) or XOAUTH2 as Gmail and Exchange Online answer it: {@code +} asks for the
     * response, whose bearer token must equal this server's password; a wrong token gets a base64 JSON error
     * challenge, which the client must answer with an empty line before the {@code -ERR}.
     */
    private boolean sasl(String arg, InputStream in, OutputStream out) throws IOException {
        String[] words = arg.split(" ", 2);
        String mechanism = words[0].toUpperCase();
        String response = words.length > 1 ? words[1].trim() : null;
        if (mechanism.equals("PLAIN")) {
            return response != null && decode(response).equals("\0" + user + "\0" + password);
        }
        if (!mechanism.equals("XOAUTH2")) {
            return false;
        }
        if (response == null) {
            line(out, "+ ");
            out.flush();
            response = readLine(in);
        }
        if (response != null && decode(response).equals("user=" + user + "\u0001auth=Bearer " + password + "\u0001\u0001")) {
            return true;
        }
        line(out, "+ " + Base64.getEncoder().encodeToString(
                "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.google.com/\"}".getBytes(StandardCharsets.UTF_8)));
        out.flush();
        commands.add("(after error challenge) " + readLine(in));
        return false;
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
