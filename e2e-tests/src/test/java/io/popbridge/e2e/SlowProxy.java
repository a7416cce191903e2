package io.popbridge.e2e;

import io.popbridge.stack.process.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of a server that holds back each chunk the server sends for {@code delay}: a POP3 poll
 * through it takes seconds, so a test can kill the fetcher while the poll certainly runs ({@link #chunksRelayed}).
 */
final class SlowProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Duration delay;
    private final AtomicInteger chunks = new AtomicInteger();

    SlowProxy(int targetPort, Duration delay) throws IOException {
        this.targetPort = targetPort;
        this.delay = delay;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop, "slow-proxy-accept");
    }

    int port() {
        return server.getLocalPort();
    }

    /** Chunks passed from the server to its clients so far. */
    int chunksRelayed() {
        return chunks.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                daemon(() -> pump(client, upstream, Duration.ZERO, null), "slow-proxy-up");
                daemon(() -> pump(upstream, client, delay, chunks), "slow-proxy-down");
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to, Duration delay, AtomicInteger counter) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                Waits.sleep(delay);
                out.write(buffer, 0, n);
                out.flush();
                if (counter != null) {
                    counter.incrementAndGet();
                }
            }
        } catch (IOException gone) {
            // one side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
