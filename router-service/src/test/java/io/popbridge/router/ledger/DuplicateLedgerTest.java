package io.popbridge.router.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.contract.Pbid;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class DuplicateLedgerTest {
    static final Duration RETENTION = Duration.ofDays(30);

    @Inject
    DuplicateLedger ledger;

    String claim(String messageId, String recipient, String pbid, Instant at) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try {
                return ledger.claim(messageId, recipient, pbid, at, RETENTION);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void a_second_copy_is_a_duplicate_within_the_window_but_not_the_same_pbid_nor_after_it() {
        String messageId = "<" + UUID.randomUUID() + "@partner.org>";
        String first = Pbid.of("acc", "1");
        String second = Pbid.of("acc", "2");
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        assertThat(claim(messageId, "alice@example.com", first, t0)).isEqualTo(first);
        assertThat(claim(messageId, "alice@example.com", first, t0.plusSeconds(60))).as("replay").isEqualTo(first);
        assertThat(claim(messageId, "alice@example.com", second, t0.plus(Duration.ofDays(29)))).as("duplicate copy").isEqualTo(first);
        assertThat(claim(messageId, "bob@example.com", second, t0.plusSeconds(60))).as("other recipient").isEqualTo(second);
        assertThat(claim(messageId, "alice@example.com", second, t0.plus(Duration.ofDays(31)))).as("after the window").isEqualTo(second);
    }
}
