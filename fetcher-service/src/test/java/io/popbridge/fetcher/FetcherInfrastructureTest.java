package io.popbridge.fetcher;

import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.ServiceInfrastructureTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
class FetcherInfrastructureTest extends ServiceInfrastructureTestBase {
    @Override
    protected String schema() {
        return "fetcher";
    }

    @Override
    protected String apiPath() {
        return "/api/v1/accounts";
    }

    @Override
    protected String serviceMetric() {
        return "popbridge_fetcher_accounts";
    }
}
