package io.popbridge.stack.demo;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An SMTP server standing in for Exchange: it accepts mail for its accepted domains (all, if none are set)
 * and stores each message once per recipient as {@code <folder>/<recipient>/<n>.eml}, byte for byte as the
 * DATA phase carried it (dot-unstuffed, CRLF kept). Speaks ESMTP with PIPELINING, 8BITMIME and SIZE; no TLS,
 * no AUTH. Tests can script refusals per recipient ({@link #recipientPolicy}) and for DATA ({@link #dataPolicy}).
 */
public final class ExchangeStandIn implements AutoCloseable {
    private static final String HOSTNAME = "exchange.local";
    private static final int MAX_LINE = 64 * 1024;

    private final Path folder;
    private final Set<String> acceptedDomains;
    private final ServerSocket server;
    private final ExecutorService sessions = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "exchange-stand-in");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ReceivedMail> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile Function<String, Optional<String>> recipientPolicy = address -> Optional.empty();
    private volatile Function<ReceivedMail, Optional<String>> dataPolicy = mail -> Optional.empty();

    /** One accepted message: envelope and bytes, and where each recipient's copy was stored. */
    public record ReceivedMail(String from, List<String> recipients, byte[] data, List<Path> files) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    public ExchangeStandIn(String host, int port, Path folder, Set<String> acceptedDomains) {
        this.folder = folder;
        this.acceptedDomains = acceptedDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet());
        try {
            Files.createDirectories(folder);
            sequence.set(countStoredFiles());
            this.server = new ServerSocket(port, 50, InetAddress.getByName(host));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "exchange-stand-in-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public Path folder() {
        return folder;
    }

    /** Messages accepted since this server started. */
    public List<ReceivedMail> received() {
        return List.copyOf(received);
    }

    /** Messages accepted in this run with {@code recipient} among their envelope recipients. */
    public List<ReceivedMail> receivedFor(String recipient) {
        return received.stream().filter(mail -> mail.recipients().contains(recipient)).toList();
    }

    /** Copies stored for one recipient (including earlier runs: read from the folder). */
    public List<Path> storedFor(String recipient) {
        Path dir = folder.resolve(recipient.toLowerCase(Locale.ROOT));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".eml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All copies in the folder, per recipient directory (earlier runs included). */
    public int countStoredFiles() {
        try (var files = Files.walk(folder)) {
            return (int) files.filter(f -> f.toString().endsWith(".eml")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Waits until at least {@code count} messages were accepted in this run; returns them. */
    public List<ReceivedMail> awaitReceived(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            io.popbridge.stack.process.Waits.sleep(Duration.ofMillis(100));
        }
        return received();
    }

    /** A reply line to give instead of 250 for a recipient (e.g. "451 4.3.0 try later"); empty accepts. */
    public void recipientPolicy(Function<String, Optional<String>> policy) {
        this.recipientPolicy = policy;
    }

    /** A reply line to give instead of 250 at the end of DATA (the message is then not stored). */
    public void dataPolicy(Function<ReceivedMail, Optional<String>> policy) {
        this.dataPolicy = policy;
    }

    /** Back to accepting everything in the accepted domains. */
    public void acceptAll() {
        recipientPolicy = address -> Optional.empty();
        dataPolicy = mail -> Optional.empty();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        sessions.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sessions.execute(() -> session(socket));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                io.popbridge.stack.process.Waits.sleep(Duration.ofMillis(50));
            }
        }
    }

    private void session(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout((int) Duration.ofMinutes(5).toMillis());
            reply(out, "220 " + HOSTNAME + " ESMTP popbridge Exchange stand-in");
            String from = null;
            List<String> recipients = new ArrayList<>();
            while (true) {
                byte[] raw = readLine(in);
                if (raw == null) {
                    return;
                }
                String line = new String(raw, StandardCharsets.ISO_8859_1).strip();
                String verb = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-" + HOSTNAME + "\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 104857600\r\n250 SMTPUTF8");
                    case "HELO" -> reply(out, "250 " + HOSTNAME);
                    case "MAIL" -> {
                        from = address(line);
                        recipients.clear();
                        reply(out, from == null ? "501 5.5.4 syntax: MAIL FROM:<address>" : "250 2.1.0 sender ok");
                    }
                    case "RCPT" -> reply(out, recipient(from, address(line), recipients));
                    case "DATA" -> {
                        if (from == null || recipients.isEmpty()) {
                            reply(out, "503 5.5.1 need MAIL and RCPT first");
                            continue;
                        }
                        reply(out, "354 end data with <CR><LF>.<CR><LF>");
                        byte[] data = readData(in);
                        reply(out, store(from, List.copyOf(recipients), data));
                        from = null;
                        recipients.clear();
                    }
                    case "RSET" -> {
                        from = null;
                        recipients.clear();
                        reply(out, "250 2.0.0 ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 command not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away: nothing was stored for an unfinished DATA
        }
    }

    private String recipient(String from, String address, List<String> recipients) {
        if (from == null) {
            return "503 5.5.1 need MAIL first";
        }
        if (address == null || !address.contains("@")) {
            return "501 5.1.3 bad recipient address syntax";
        }
        String domain = address.substring(address.indexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (!acceptedDomains.isEmpty() && !acceptedDomains.contains(domain)) {
            return "550 5.7.54 unable to relay recipient in non-accepted domain";
        }
        Optional<String> refusal = recipientPolicy.apply(address);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        recipients.add(address);
        return "250 2.1.5 recipient ok";
    }

    private synchronized String store(String from, List<String> recipients, byte[] data) throws IOException {
        ReceivedMail candidate = new ReceivedMail(from, recipients, data, List.of());
        Optional<String> refusal = dataPolicy.apply(candidate);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        List<Path> files = new ArrayList<>();
        for (String recipient : recipients) {
            Path dir = folder.resolve(recipient.toLowerCase(Locale.ROOT));
            Files.createDirectories(dir);
            Path file = dir.resolve("%06d.eml".formatted(sequence.incrementAndGet()));
            Files.write(file, data);
            files.add(file);
        }
        received.add(new ReceivedMail(from, recipients, data, List.copyOf(files)));
        return "250 2.6.0 queued as " + sequence.get();
    }

    /** The address between angle brackets of "MAIL FROM:<a> ..." / "RCPT TO:<a>"; "" for the null sender. */
    private static String address(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open + 1);
        return open < 0 || close < 0 ? null : line.substring(open + 1, close);
    }

    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readLine(in);
            if (line == null) {
                throw new IOException("connection closed during DATA");
            }
            if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                return data.toByteArray();
            }
            int start = line.length > 0 && line[0] == '.' ? 1 : 0; // dot-unstuffing (RFC 5321 4.5.2)
            data.write(line, start, line.length - start);
        }
    }

    /** One line including its CRLF (or bare LF), or null at end of stream. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() > MAX_LINE * 16) {
                throw new IOException("line too long");
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
