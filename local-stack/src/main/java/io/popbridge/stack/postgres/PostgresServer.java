package io.popbridge.stack.postgres;

import io.popbridge.stack.process.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real PostgreSQL 17 server from the embedded binaries (zonky) with a persistent data directory: the
 * first start runs initdb, later starts reuse the data. Runs as the server's own process; the JVM that
 * started it stops it.
 */
public final class PostgresServer {
    private final Path dataDirectory;
    private final Path logFile;
    private final int port;
    private final boolean durable;
    private EmbeddedPostgres server;

    /** @param durable false for throwaway test data (fsync off: faster on slow disks) */
    public PostgresServer(Path dataDirectory, Path logFile, int port, boolean durable) {
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
        this.port = port;
        this.durable = durable;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        long begin = System.nanoTime();
        endLeftover();
        Ports.requireFree("PostgreSQL", port);
        try {
            Files.createDirectories(dataDirectory);
            Files.createDirectories(logFile.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setServerConfig("max_connections", "200");
            if (!durable) {
                builder.setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off");
            }
            server = builder.start();
            System.out.printf("[stack] PostgreSQL up at 127.0.0.1:%d in %d ms (data %s)%n", port,
                    (System.nanoTime() - begin) / 1_000_000, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dataDirectory, e);
        }
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL", e);
        } finally {
            server = null;
        }
    }

    /** A postmaster left running by a launcher that was killed: stop it by the pid it wrote into our data directory. */
    private void endLeftover() {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).trim());
            ProcessHandle.of(pid)
                    .filter(handle -> handle.info().command().map(cmd -> cmd.endsWith("postgres")).orElse(false))
                    .ifPresent(handle -> {
                        System.out.printf("[stack] stopping PostgreSQL left over from an earlier run (pid %d)%n", pid);
                        // SIGTERM would be a "smart" shutdown that waits for the old services' connections
                        Path pgCtl = Path.of(handle.info().command().orElseThrow()).resolveSibling("pg_ctl");
                        if (!pgCtl("fast", pgCtl) && !pgCtl("immediate", pgCtl)) {
                            handle.destroyForcibly();
                        }
                        handle.onExit().join();
                    });
        } catch (IOException | RuntimeException e) {
            System.out.println("[stack] could not stop a leftover PostgreSQL: " + e.getMessage());
        }
    }

    private boolean pgCtl(String mode, Path pgCtl) {
        try {
            Process stop = new ProcessBuilder(pgCtl.toString(), "stop", "-D", dataDirectory.toString(), "-m", mode, "-t", "30")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return stop.waitFor(40, java.util.concurrent.TimeUnit.SECONDS) && stop.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
