package io.popbridge.stack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Port helpers: a free port for tests (other engineers run tests at the same time), and a reachability probe. */
public final class Ports {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * A port nothing listens on, never handed out before in this JVM, and below the kernel's ephemeral range.
     * Ports are chosen before the processes bind them: the kernel's "port 0" reuses a just-closed port (a stack
     * once got the same port for Kafka and a service), and any outgoing connection (a JDBC or Kafka client) may
     * take an ephemeral port meanwhile; ports below that range are only ever taken by listeners.
     */
    public static int free() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = below > LOWEST + 1_000 ? ThreadLocalRandom.current().nextInt(LOWEST, below) : kernelChosen();
            if (HANDED_OUT.add(port)) {
                if (bindable(port)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("no free port below " + below);
    }

    private static int ephemeralRangeStart() {
        try {
            // readAllLines, not readString: /proc files report size 0 and readString then returns one byte
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux: let the kernel choose
        }
    }

    private static int kernelChosen() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port)); // all addresses: the services listen on 0.0.0.0
            return true;
        } catch (IOException e) {
            return false;
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
