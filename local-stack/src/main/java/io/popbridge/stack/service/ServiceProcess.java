package io.popbridge.stack.service;

import io.popbridge.stack.http.ApiClient;
import io.popbridge.stack.process.ManagedProcess;
import io.popbridge.stack.process.Ports;
import io.popbridge.stack.process.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One packaged service as its own process ({@code java -jar <module>/target/quarkus-app/quarkus-run.jar}),
 * its output in {@code <logs>/<id>.log}; ready when {@code /q/health/ready} on the management port says so.
 * Stop and start again at will: tests restart a service mid-run.
 */
public final class ServiceProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final PopbridgeService service;
    private final Path jar;
    private final int httpPort;
    private final int managementPort;
    private final ManagedProcess process;

    public ServiceProcess(PopbridgeService service, Path reactorRoot, Path stackHome, ServiceEnvironment environment,
                          int httpPort, int managementPort, Map<String, String> properties, List<String> jvmOptions,
                          Path logDirectory, Path runDirectory) {
        this.service = service;
        this.jar = service.jar(reactorRoot);
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dquarkus.http.port=" + httpPort);
        options.add("-Dquarkus.management.port=" + managementPort);
        options.add("-Dquarkus.http.host=127.0.0.1");
        options.add("-Dquarkus.management.host=127.0.0.1");
        options.add("-Dquarkus.console.color=false");
        properties.forEach((key, value) -> options.add("-D" + key + "=" + value));
        List<String> command = ManagedProcess.java(stackHome, options.toArray(String[]::new));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        this.process = new ManagedProcess(service.id(), command, environment.variables(),
                logDirectory.resolve(service.id() + ".log"), runDirectory);
    }

    public PopbridgeService service() {
        return service;
    }

    public void start() {
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged " + service.module() + " at " + jar
                    + ": run ./mvnw -B install -DskipTests -pl " + service.module() + " -am");
        }
        process.endLeftover();
        Ports.requireFree(service.id() + " API", httpPort);
        Ports.requireFree(service.id() + " management", managementPort);
        process.start();
    }

    public void awaitReady(Duration timeout) {
        Waits.until(service.id() + " to be ready at " + managementUrl() + "/q/health/ready", timeout, process, this::isReady);
    }

    public boolean isReady() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }

    /** Kills the process without a graceful shutdown (a crash, for tests). */
    public void kill() {
        process.kill();
    }

    public java.util.Optional<Long> pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public Path logFile() {
        return process.logFile();
    }

    public ApiClient api(String user, String password) {
        return new ApiClient(apiUrl(), user, password);
    }
}
