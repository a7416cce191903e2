package io.popbridge.delivery.smtp;

import java.nio.charset.StandardCharsets;

/** The 20 KB message the throughput benchmarks send. */
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
}
