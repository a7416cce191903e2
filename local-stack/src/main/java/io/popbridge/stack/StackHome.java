package io.popbridge.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The stack's one directory ({@code .local/} for the launcher, {@code target/e2e-stack} for tests): data of
 * Kafka and PostgreSQL, logs, pid files, the Exchange stand-in's folder, and two secrets generated on first
 * use and kept, so a second start reads the data the first one encrypted.
 */
public record StackHome(Path root) {

    public StackHome {
        root = root.toAbsolutePath().normalize();
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path run() {
        return root.resolve("run");
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path postgres() {
        return root.resolve("postgres");
    }

    public Path exchange() {
        return root.resolve("exchange");
    }

    /** The AES-256 key for secrets at rest (base64), generated once. */
    public String encryptionKey() {
        return secret("encryption.key", 32, Base64.getEncoder());
    }

    /** The API password of user {@code admin}, generated once; edit the file to choose your own. */
    public String adminPassword() {
        // exactly what the file holds (it once held '+' and '/' where the services got 'x' and 'y'); new ones are URL-safe
        return secret("admin-password", 12, Base64.getUrlEncoder().withoutPadding());
    }

    /** Deletes everything (tests start from nothing). */
    public void wipe() {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + root, e);
        }
    }

    private synchronized String secret(String name, int bytes, Base64.Encoder encoder) {
        Path file = root.resolve(name);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(root);
                byte[] random = new byte[bytes];
                new SecureRandom().nextBytes(random);
                Files.writeString(file, encoder.encodeToString(random) + "\n");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
