package io.popbridge.delivery.smtp;

import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Throughput of 20 KB messages: our client with and without connection reuse, PIPELINING and parallel
 * connections, against Angus Mail's SMTP transport. Prints figures, asserts nothing. Not part of the normal test
 * run (the name does not end in Test); run it with
 * {@code ./mvnw -B test -pl delivery-service -Dtest=SmtpThroughputBenchmark [-Dbench.host=127.0.0.1 -Dbench.port=2525
 * -Dbench.rcpt=user001@example.com -Dbench.messages=300]}. Without bench.host it uses the scripted server.
 */
class SmtpThroughputBenchmark {
    private static final int N = Integer.getInteger("bench.messages", 300);
    private static final String RCPT = System.getProperty("bench.rcpt", "user001@example.com");

    @Test
    void prints_throughput_of_20kb_messages() throws Exception {
        SmtpThroughputBenchmarkMessages.BenchServer bench = SmtpThroughputBenchmarkMessages.BenchServer.fromProperties();
        String host = bench.host();
        int port = bench.port();
        byte[] raw = message();
        String server = host;
        SmtpEndpoint ep = new SmtpEndpoint(host, port, SmtpSecurity.NONE, false, null, null, null, null, "bench.popbridge.test",
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));
        System.out.printf("%n[bench] %d messages of %d bytes to %s:%d (%s)%n", N, raw.length, host, port,
                bench.scripted() == null ? "external server" : "scripted server");
        benchPort = port;
        run("warm-up (ours, reuse + pipelining)", () -> ours(ep, raw, N / 3, true, true));
        run("Angus Mail, new connection per message", () -> angus(server, raw, N, false));
        run("Angus Mail, one connection reused", () -> angus(server, raw, N, true));
        noDelay = true;
        run("Angus Mail, one connection reused, TCP_NODELAY", () -> angus(server, raw, N, true));
        run("ours, new connection per message, no pipelining", () -> ours(ep, raw, N, false, false));
        run("ours, one connection reused, no pipelining", () -> ours(ep, raw, N, true, false));
        run("ours, one connection reused, pipelining", () -> ours(ep, raw, N, true, true));
        run("ours, pool of 4 connections, reuse + pipelining", () -> pooled(ep, raw, N, 4));
        bench.close();
    }

    interface Work {
        int run() throws Exception;
    }

    private static void run(String name, Work work) throws Exception {
        long start = System.nanoTime();
        int sent = work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("[bench] %-52s %7.1f messages/s (%d in %.2f s)%n", name, sent / seconds, sent, seconds);
    }

    private static int ours(SmtpEndpoint ep, byte[] raw, int n, boolean reuse, boolean pipelining) throws Exception {
        SmtpConnection c = null;
        for (int i = 0; i < n; i++) {
            if (c == null) {
                c = SmtpConnection.open(ep);
                if (!pipelining) {
                    c.ignoreExtension("PIPELINING");
                }
            }
            c.send("bench@isp.test", List.of(RCPT), new SmtpBody(new byte[0], raw));
            if (!reuse) {
                c.quit();
                c = null;
            }
        }
        if (c != null) {
            c.quit();
        }
        return n;
    }

    private static int pooled(SmtpEndpoint ep, byte[] raw, int n, int connections) throws Exception {
        SmtpPool pool = new SmtpPool(ep, connections, 1000, Duration.ofSeconds(30));
        ExecutorService threads = Executors.newFixedThreadPool(connections);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(threads.submit(() -> {
                try (SmtpPool.Lease lease = pool.lease(Duration.ofSeconds(30))) {
                    lease.connection().send("bench@isp.test", List.of(RCPT), new SmtpBody(new byte[0], raw));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        threads.shutdown();
        pool.close();
        return n;
    }

    private static int angus(String host, byte[] raw, int n, boolean reuse) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.from", "bench@isp.test");
        props.put("mail.smtp.localhost", "bench.popbridge.test");
        if (noDelay) {
            props.put("mail.smtp.socketFactory", new NoDelaySocketFactory());
        }
        Session session = Session.getInstance(props);
        Address[] to = {new InternetAddress(RCPT)};
        Transport t = null;
        for (int i = 0; i < n; i++) {
            MimeMessage msg = new MimeMessage(session, new ByteArrayInputStream(raw));
            if (t == null) {
                t = session.getTransport("smtp");
                t.connect(host, benchPort, null, null);
            }
            t.sendMessage(msg, to);
            if (!reuse) {
                t.close();
                t = null;
            }
        }
        if (t != null) {
            t.close();
        }
        return n;
    }

    private static int benchPort;
    private static boolean noDelay;

    /** Angus Mail has no switch for TCP_NODELAY; a socket factory can set it. */
    static final class NoDelaySocketFactory extends javax.net.SocketFactory {
        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            java.net.Socket s = new java.net.Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port, local, localPort);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress a, int port, java.net.InetAddress local, int localPort) throws java.io.IOException {
            java.net.Socket s = new java.net.Socket(a, port, local, localPort);
            s.setTcpNoDelay(true);
            return s;
        }
    }

    static byte[] message() {
        return SmtpThroughputBenchmarkMessages.twentyKb(RCPT);
    }
}
