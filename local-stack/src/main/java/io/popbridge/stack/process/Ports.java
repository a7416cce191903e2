package io.popbridge.stack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port helpers: a free port for tests (other engineers run tests at the same time), and a reachability probe. */
public final class Ports {
    private Ports() {
    }

    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    public static boolean isOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails early with a clear message instead of a process dying on "address already in use". */
    public static void requireFree(String what, int port) {
        if (isOpen("127.0.0.1", port)) {
            throw new IllegalStateException(what + ": port " + port + " is already in use (another stack running?)");
        }
    }
}
