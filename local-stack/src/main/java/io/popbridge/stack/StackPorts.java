package io.popbridge.stack;

import io.popbridge.stack.process.Ports;
import io.popbridge.stack.service.PopbridgeService;
import java.util.EnumMap;
import java.util.Map;

/** Every port the stack listens on. */
public record StackPorts(int kafka, int kafkaController, int postgres,
                         Map<PopbridgeService, Integer> http, Map<PopbridgeService, Integer> management) {

    public StackPorts {
        http = Map.copyOf(http);
        management = Map.copyOf(management);
    }

    /** The documented ports (services 8081-8083 / 9081-9083), Kafka 19092, PostgreSQL 15432: the launcher's. */
    public static StackPorts defaults() {
        Map<PopbridgeService, Integer> http = new EnumMap<>(PopbridgeService.class);
        Map<PopbridgeService, Integer> management = new EnumMap<>(PopbridgeService.class);
        for (PopbridgeService service : PopbridgeService.values()) {
            http.put(service, service.defaultHttpPort());
            management.put(service, service.defaultManagementPort());
        }
        return new StackPorts(19092, 19093, 15432, http, management);
    }

    /** Free ports everywhere: tests run beside other stacks and other engineers' tests. */
    public static StackPorts free() {
        Map<PopbridgeService, Integer> http = new EnumMap<>(PopbridgeService.class);
        Map<PopbridgeService, Integer> management = new EnumMap<>(PopbridgeService.class);
        for (PopbridgeService service : PopbridgeService.values()) {
            http.put(service, Ports.free());
            management.put(service, Ports.free());
        }
        return new StackPorts(Ports.free(), Ports.free(), Ports.free(), http, management);
    }
}
