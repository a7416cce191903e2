package io.popbridge.stack.process;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling until a condition holds, failing fast when the process it waits for died. */
public final class Waits {
    private Waits() {
    }

    public static void until(String what, Duration timeout, ManagedProcess process, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (process != null) {
                process.requireAlive();
            }
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what
                        + (process == null ? "" : "; last lines of " + process.logFile() + ":\n" + process.tail(40)));
            }
            sleep(Duration.ofMillis(250));
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
