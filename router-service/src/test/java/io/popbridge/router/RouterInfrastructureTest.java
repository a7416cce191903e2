package io.popbridge.router;

import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.ServiceInfrastructureTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class RouterInfrastructureTest extends ServiceInfrastructureTestBase {
    @Override
    protected String schema() {
        return "router";
    }

    @Override
    protected String apiPath() {
        return "/api/v1/domains";
    }

    @Override
    protected String serviceMetric() {
        return "popbridge_router_decisions_total{reason=\"routed\"}";
    }
}
