package io.popbridge.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points Quarkus at the JVM's shared PostgreSQL ({@link SharedPostgres}). Stopping is left to the JVM exit. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return SharedPostgres.quarkusProperties();
    }

    @Override
    public void stop() {
        // shared by every Quarkus boot in this JVM; a shutdown hook stops it
    }
}
