package io.popbridge.delivery.smtp;

import io.popbridge.testsupport.smtp.ScriptedSmtpServer;
import java.nio.charset.StandardCharsets;

/** What the throughput benchmarks share: the 20 KB message and the server they send to. */
public final class SmtpThroughputBenchmarkMessages {
    private SmtpThroughputBenchmarkMessages() {
    }

    public static byte[] twentyKb(String rcpt) {
        StringBuilder sb = new StringBuilder("From: Bench <bench@isp.test>\r\nTo: " + rcpt + "\r\nSubject: 20 KB benchmark\r\n"
                + "Message-ID: <bench@isp.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        while (sb.length() < 20 * 1024) {
            sb.append("The quick brown fox jumps over the lazy dog. 0123456789 abcdefghijklmnopqrstuv\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code bench.host}/{@code bench.port} if given, else a scripted server started for the run (closed by {@link #close()}). */
    public record BenchServer(String host, int port, ScriptedSmtpServer scripted) implements AutoCloseable {
        public static BenchServer fromProperties() {
            String host = System.getProperty("bench.host");
            if (host != null) {
                return new BenchServer(host, Integer.getInteger("bench.port", 25), null);
            }
            ScriptedSmtpServer s = ScriptedSmtpServer.builder().pipelining().start();
            return new BenchServer(s.host(), s.port(), s);
        }

        @Override
        public void close() {
            if (scripted != null) {
                scripted.close();
            }
        }
    }
}
