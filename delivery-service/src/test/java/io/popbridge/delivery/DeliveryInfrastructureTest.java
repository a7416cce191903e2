package io.popbridge.delivery;

import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.ServiceInfrastructureTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class DeliveryInfrastructureTest extends ServiceInfrastructureTestBase {
    @Override
    protected String schema() {
        return "delivery";
    }

    @Override
    protected String apiPath() {
        return "/api/v1/targets";
    }

    @Override
    protected String serviceMetric() {
        return "jvm_threads_live_threads";
    }
}
