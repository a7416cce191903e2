package io.popbridge.delivery.smtp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The message as it goes on the wire: our prepended header lines followed by the original bytes, with only
 * line endings normalised (every bare CR, bare LF and CRLF becomes CRLF; a missing final CRLF is added) and,
 * for DATA, every line-initial dot doubled. Because stuffing works on the normalised lines, no byte sequence
 * in the original ({@code <LF>.<CR><LF>}, {@code <CR>.<CR>}, ...) can end the data early (SMTP smuggling).
 * Streams from the arrays: the body is never copied. Mail that already has CRLF everywhere (what a POP3 server
 * sends) takes a fast path: its length is known without a pass, and it is written in slices between dots.
 */
public final class SmtpBody {
    private static final int CHUNK = 64 * 1024;
    private final byte[] prefix;
    private final byte[] original;
    private final byte[] suffix;
    private long normalisedLength = -1;
    private Boolean eightBit;
    private final boolean canonical;

    /** @param prefix header lines, each ending in CRLF, written before the original */
    public SmtpBody(byte[] prefix, byte[] original) {
        this(prefix, original, new byte[0]);
    }

    /** @param suffix lines written after the original (a MIME closing boundary), each ending in CRLF */
    public SmtpBody(byte[] prefix, byte[] original, byte[] suffix) {
        this.prefix = prefix;
        this.original = original;
        this.suffix = suffix;
        this.canonical = canonical(prefix) && canonical(original) && canonical(suffix);
    }

    /** Bytes of the normalised, unstuffed message (the BDAT size). */
    public long normalisedLength() {
        if (normalisedLength < 0 && canonical) {
            normalisedLength = (long) prefix.length + original.length + suffix.length;
        }
        if (normalisedLength < 0) {
            Counter counter = new Counter();
            try {
                write(counter, false);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            normalisedLength = counter.count;
        }
        return normalisedLength;
    }

    /** True if a byte has the high bit set (BODY=8BITMIME is then required). */
    public boolean eightBit() {
        if (eightBit == null) {
            boolean found = false;
            for (byte b : original) {
                if (b < 0) {
                    found = true;
                    break;
                }
            }
            eightBit = found;
        }
        return eightBit;
    }

    /** Writes the normalised message; with {@code dotStuff} also doubles line-initial dots (not the terminator). */
    public void write(OutputStream out, boolean dotStuff) throws IOException {
        if (!canonical) {
            writeNormalised(out, dotStuff);
            return;
        }
        for (byte[] part : new byte[][] {prefix, original, suffix}) {
            if (dotStuff) {
                writeStuffed(out, part);
            } else {
                out.write(part);
            }
        }
    }

    /** The general path: every byte through the normaliser (also used by tests to check the fast path). */
    void writeNormalised(OutputStream out, boolean dotStuff) throws IOException {
        Normaliser n = new Normaliser(out, dotStuff);
        n.write(prefix);
        n.write(original);
        n.write(suffix);
        n.finish();
    }

    /** Empty, or CRLF line endings only (no bare CR or LF) with a final CRLF: nothing to normalise. */
    static boolean canonical(byte[] b) {
        int n = b.length;
        if (n == 0) {
            return true;
        }
        if (n < 2 || b[n - 2] != '\r' || b[n - 1] != '\n') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            byte x = b[i];
            if (x == '\r') {
                if (b[i + 1] != '\n') { // i + 1 < n: the last CR is followed by the final LF
                    return false;
                }
                i++;
            } else if (x == '\n') {
                return false;
            }
        }
        return true;
    }

    /** A canonical part starts at a line start: doubles each dot that begins a line. */
    private static void writeStuffed(OutputStream out, byte[] b) throws IOException {
        int from = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '.' && (i == 0 || b[i - 1] == '\n')) {
                out.write(b, from, i + 1 - from);
                out.write('.');
                from = i + 1;
            }
        }
        out.write(b, from, b.length - from);
    }

    private static final class Normaliser {
        private final OutputStream out;
        private final boolean dotStuff;
        private final byte[] buf = new byte[CHUNK + 4];
        private int len;
        private boolean lineStart = true;
        private boolean pendingCr;
        private boolean any;

        Normaliser(OutputStream out, boolean dotStuff) {
            this.out = out;
            this.dotStuff = dotStuff;
        }

        void write(byte[] bytes) throws IOException {
            for (byte b : bytes) {
                any = true;
                if (pendingCr) {
                    pendingCr = false;
                    newline();
                    if (b == '\n') {
                        continue;
                    }
                }
                if (b == '\r') {
                    pendingCr = true;
                } else if (b == '\n') {
                    newline();
                } else {
                    if (lineStart && dotStuff && b == '.') {
                        put((byte) '.');
                    }
                    put(b);
                    lineStart = false;
                }
            }
        }

        void finish() throws IOException {
            if (pendingCr) {
                pendingCr = false;
                newline();
            }
            if (any && !lineStart) {
                newline();
            }
            flushBuffer();
        }

        private void newline() throws IOException {
            put((byte) '\r');
            put((byte) '\n');
            lineStart = true;
        }

        private void put(byte b) throws IOException {
            buf[len++] = b;
            if (len >= CHUNK) {
                flushBuffer();
            }
        }

        private void flushBuffer() throws IOException {
            if (len > 0) {
                out.write(buf, 0, len);
                len = 0;
            }
        }
    }

    private static final class Counter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
