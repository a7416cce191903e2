package io.popbridge.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server per test JVM: embedded binaries (zonky), or an external database when
 * {@code POPBRIDGE_TEST_DB_URL} (with {@code POPBRIDGE_TEST_DB_USER} / {@code POPBRIDGE_TEST_DB_PASSWORD}) is set.
 */
public final class SharedPostgres {
    public static final String URL_ENV = "POPBRIDGE_TEST_DB_URL";

    private static EmbeddedPostgres server;
    private static Path dataDirectory;
    private static int port;
    private static int starts;

    private SharedPostgres() {
    }

    public static boolean isExternal() {
        String url = System.getenv(URL_ENV);
        return url != null && !url.isBlank();
    }

    public static synchronized String jdbcUrl() {
        if (isExternal()) {
            return System.getenv(URL_ENV);
        }
        ensureStarted();
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public static String username() {
        return isExternal() ? System.getenv().getOrDefault("POPBRIDGE_TEST_DB_USER", "postgres") : "postgres";
    }

    public static String password() {
        return isExternal() ? System.getenv().getOrDefault("POPBRIDGE_TEST_DB_PASSWORD", "") : "postgres";
    }

    /** Quarkus datasource properties for this server. */
    public static Map<String, String> quarkusProperties() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", username(),
                "quarkus.datasource.password", password());
    }

    /** How many times the embedded server started in this JVM (the build log shows it too). */
    public static synchronized int starts() {
        return starts;
    }

    /** Stops the embedded server, keeping its data directory and port for {@link #start()}. */
    public static synchronized void stop() {
        requireEmbedded();
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
            System.out.println("[test-support] PostgreSQL stopped (port " + port + ")");
        }
    }

    /** Starts the embedded server again on the same port with the same data. */
    public static synchronized void start() {
        requireEmbedded();
        ensureStarted();
    }

    private static void requireEmbedded() {
        if (isExternal()) {
            throw new IllegalStateException("cannot stop or start an external database");
        }
    }

    private static void ensureStarted() {
        if (server != null) {
            return;
        }
        try {
            if (dataDirectory == null) {
                dataDirectory = Files.createTempDirectory("popbridge-pg-");
            }
            long begin = System.nanoTime();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off");
            if (port != 0) {
                builder.setPort(port);
            }
            server = builder.start();
            port = server.getPort();
            starts++;
            System.out.printf("[test-support] PostgreSQL started on 127.0.0.1:%d in %d ms (start #%d in this JVM)%n",
                    port, (System.nanoTime() - begin) / 1_000_000, starts);
            if (starts == 1) {
                Runtime.getRuntime().addShutdownHook(new Thread(SharedPostgres::closeAndDelete, "embedded-postgres-stop"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /** At JVM exit: stops the server and deletes its data (~40 MB per test JVM that /tmp would otherwise keep). */
    private static synchronized void closeAndDelete() {
        closeQuietly();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: the JVM is exiting
        }
    }

    private static synchronized void closeQuietly() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // the JVM is exiting
        }
    }
}
