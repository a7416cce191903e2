package io.popbridge.delivery.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.delivery.DeliveryTestKit;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class LedgerCleanupTest {
    static final Instant OLD = Instant.now().minus(Duration.ofDays(40));
    static final Instant RECENT = Instant.now().minus(Duration.ofDays(1));

    @Inject
    LedgerCleanup cleanup;
    @Inject
    LedgerRepository ledger;

    @Test
    void old_final_rows_are_forgotten_while_waiting_and_recent_ones_stay() {
        String pbid = DeliveryTestKit.pbid();
        UUID delivered = ledger.save(row(pbid, "delivered@example.com", DeliveryState.DELIVERED, OLD));
        UUID fallback = ledger.save(row(pbid, "fallback@example.com", DeliveryState.FALLBACK, OLD));
        UUID parked = ledger.save(row(pbid, "parked@example.com", DeliveryState.PARKED, OLD));
        UUID deferred = ledger.save(row(pbid, "deferred@example.com", DeliveryState.DEFERRED, OLD));
        UUID recent = ledger.save(row(pbid, "recent@example.com", DeliveryState.DELIVERED, RECENT));

        assertThat(cleanup.cleanUp(Instant.now().minus(Duration.ofDays(30)))).isGreaterThanOrEqualTo(2);

        assertThat(ledger.findByPbid(pbid)).extracting(LedgerRow::id).containsExactlyInAnyOrder(parked, deferred, recent)
                .doesNotContain(delivered, fallback);
    }

    private static LedgerRow row(String pbid, String recipient, DeliveryState state, Instant at) {
        return new LedgerRow(UUID.randomUUID(), pbid, recipient, recipient, state, state == DeliveryState.FALLBACK, null,
                "account", "account", "uidl-" + pbid, "pop.isp.test", "sender@isp.test", "postmaster@example.com", at,
                "<" + pbid + "@isp.test>", "sender@isp.test", "subject", 1, false, "250 ok", null, at, at,
                state == DeliveryState.DEFERRED ? at.plus(Duration.ofDays(365)) : null, at);
    }
}
