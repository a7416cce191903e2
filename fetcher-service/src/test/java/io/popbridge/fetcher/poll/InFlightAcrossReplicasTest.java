package io.popbridge.fetcher.poll;

import static io.popbridge.fetcher.FetcherTestSupport.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.fetcher.AdminSmtpTestResource;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With several fetcher replicas another one may consume a message's outcome: the shared table settles it. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
class InFlightAcrossReplicasTest {
    @Inject
    InFlight inFlight;

    @Test
    void a_poll_learns_from_the_message_table_that_another_replica_settled_its_message() throws Exception {
        String pbid = "pb1-" + UUID.randomUUID().toString().replace("-", "");
        // what other tests published: first let the table settle what it can, then count the rest in
        inFlight.awaitRoom(1, Duration.ofMillis(300), Duration.ofHours(1));
        Thread.sleep(300);
        int max = inFlight.count() + 1;
        inFlight.published(pbid);
        update("insert into message (pbid, account_id, status) values (?, ?, 'ROUTED')", pbid, UUID.randomUUID());
        assertThat(inFlight.awaitRoom(max, Duration.ofMillis(500), Duration.ofHours(1))).as("routed: on its way").isFalse();

        update("update message set status = 'FINAL' where pbid = ?", pbid); // another replica's outcome consumer
        assertThat(inFlight.awaitRoom(max, Duration.ofSeconds(5), Duration.ofHours(1))).as("final in the table").isTrue();
        assertThat(inFlight.count()).isEqualTo(max - 1);
    }
}
