package io.popbridge.stack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child process whose output is appended to one log file. A pid file under the run directory lets the
 * next start end a process this machinery left behind (e.g. after {@code kill -9} of the launcher), and only
 * that one: the pid must still belong to a process whose command line carries our marker.
 */
public final class ManagedProcess {
    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private final Path pidFile;
    private final String marker;
    private Process process;

    public ManagedProcess(String name, List<String> command, Map<String, String> environment, Path logFile, Path runDirectory) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.pidFile = runDirectory.resolve(name + ".pid");
        this.marker = command.stream().filter(arg -> arg.startsWith("-Dpopbridge.stack.home=")).findFirst().orElse(null);
    }

    /** The java binary of this JVM, plus a marker option that identifies the stack the process belongs to. */
    public static List<String> java(Path stackHome, String... options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dpopbridge.stack.home=" + stackHome.toAbsolutePath());
        command.addAll(List.of(options));
        return command;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        endLeftover();
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(pidFile.getParent());
            Files.writeString(logFile, "%n==== %s starting: %s%n".formatted(java.time.Instant.now(), String.join(" ", command)),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Runs the command to completion (e.g. a format step) and fails with the log's tail if it exits non-zero. */
    public void runToCompletion(Duration timeout) {
        start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(Duration.ofSeconds(5));
                throw new IllegalStateException(name + " did not finish in " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + logFile + ":\n" + tail(30));
            }
            deletePidFile();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized Optional<Long> pid() {
        return isAlive() ? Optional.of(process.pid()) : Optional.empty();
    }

    /** SIGTERM (the JVM's shutdown hooks run: Quarkus and Kafka stop cleanly), then SIGKILL after the grace time. */
    public synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        stopHandle(process.toHandle(), grace);
        process = null;
        deletePidFile();
    }

    /** SIGKILL: no shutdown hooks run (a crash, for tests). */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        process.onExit().join();
        process = null;
        deletePidFile();
    }

    /** Fails with the log's tail when the process died (used while waiting for it to become ready). */
    public void requireAlive() {
        if (!isAlive()) {
            throw new IllegalStateException(name + " exited" + (process == null ? "" : " with " + process.exitValue())
                    + "; last lines of " + logFile + ":\n" + tail(40));
        }
    }

    public String tail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** Ends the process an earlier run of this machinery left behind (same name, same stack home), if any. */
    public void endLeftover() {
        if (marker == null || !Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid)
                    .filter(handle -> handle.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false))
                    .ifPresent(handle -> {
                        System.out.printf("[stack] ending %s left over from an earlier run (pid %d)%n", name, pid);
                        stopHandle(handle, Duration.ofSeconds(20));
                    });
        } catch (IOException | NumberFormatException ignored) {
            // a stale or unreadable pid file: nothing of ours to end
        }
        deletePidFile();
    }

    private static void stopHandle(ProcessHandle handle, Duration grace) {
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timedOutOrInterrupted) {
            handle.destroyForcibly();
            handle.onExit().join();
        }
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // harmless: the next start checks the command line before ending anything
        }
    }
}
