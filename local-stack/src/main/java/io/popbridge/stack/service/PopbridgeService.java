package io.popbridge.stack.service;

import java.nio.file.Path;
import java.util.Locale;

/** The three services with their Maven module and default ports (as in each application.properties). */
public enum PopbridgeService {
    FETCHER("fetcher-service", 8081, 9081),
    ROUTER("router-service", 8082, 9082),
    DELIVERY("delivery-service", 8083, 9083);

    private final String module;
    private final int defaultHttpPort;
    private final int defaultManagementPort;

    PopbridgeService(String module, int defaultHttpPort, int defaultManagementPort) {
        this.module = module;
        this.defaultHttpPort = defaultHttpPort;
        this.defaultManagementPort = defaultManagementPort;
    }

    /** "fetcher", "router", "delivery": log file and command-line name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String module() {
        return module;
    }

    public int defaultHttpPort() {
        return defaultHttpPort;
    }

    public int defaultManagementPort() {
        return defaultManagementPort;
    }

    /** The Quarkus fast-jar the service's {@code package} phase builds. */
    public Path jar(Path reactorRoot) {
        return reactorRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public static PopbridgeService byId(String id) {
        for (PopbridgeService service : values()) {
            if (service.id().equalsIgnoreCase(id) || service.module.equalsIgnoreCase(id)) {
                return service;
            }
        }
        throw new IllegalArgumentException("no service " + id + " (fetcher, router, delivery)");
    }
}
