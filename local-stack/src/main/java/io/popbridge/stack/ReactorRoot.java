package io.popbridge.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the popbridge checkout (the directory with mvnw and the parent pom), where the packaged jars live. */
public final class ReactorRoot {
    public static final String PROPERTY = "popbridge.root";

    private ReactorRoot() {
    }

    /** {@code -Dpopbridge.root}, else the first directory upwards from the working directory that holds the parent pom. */
    public static Path find() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the popbridge checkout above " + Path.of("").toAbsolutePath()
                + "; set -D" + PROPERTY + "=<dir>");
    }

    private static boolean isRoot(Path dir) {
        Path pom = dir.resolve("pom.xml");
        try {
            return Files.exists(dir.resolve("mvnw")) && Files.exists(pom)
                    && Files.readString(pom).contains("<artifactId>popbridge-parent</artifactId>");
        } catch (IOException e) {
            return false;
        }
    }

    public static Path kafkaLib(Path root) {
        return root.resolve("local-stack/target/kafka-lib");
    }
}
