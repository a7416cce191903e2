package io.popbridge.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Raw .eml fixtures from src/test/resources/eml, byte for byte. */
public final class Eml {
    private Eml() {
    }

    public static byte[] load(String name) {
        try (InputStream in = Eml.class.getResourceAsStream("/eml/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
