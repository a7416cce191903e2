package io.popbridge.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts the {@link Stack} once per test JVM; it stops at JVM exit, after the last test class. */
public final class StackExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Stack.start();
    }
}
