package io.popbridge.stack.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void free_ports_are_distinct_and_outside_the_ephemeral_range() throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ports.add(Ports.free());
        }
        assertThat(ports).doesNotHaveDuplicates();
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (Files.exists(range)) {
            int ephemeralStart = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
            assertThat(ports).allMatch(port -> port >= 10_000 && port < ephemeralStart);
        }
    }
}
