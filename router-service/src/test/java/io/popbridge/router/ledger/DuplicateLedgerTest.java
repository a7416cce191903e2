package io.popbridge.router.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.contract.Pbid;
import io.popbridge.router.ledger.DuplicateLedger.Claim;
import io.popbridge.router.ledger.DuplicateLedger.Pair;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
        return claimAll(List.of(new Claim(messageId, recipient, pbid)), at).get(new Pair(messageId, recipient));
    }

    Map<Pair, String> claimAll(List<Claim> claims, Instant at) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try {
                return ledger.claimAll(claims, at, RETENTION);
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

    @Test
    void one_batch_claims_as_if_one_claim_followed_the_other() {
        String known = "<" + UUID.randomUUID() + "@partner.org>";
        String expired = "<" + UUID.randomUUID() + "@partner.org>";
        String fresh = "<" + UUID.randomUUID() + "@partner.org>";
        String earlier = Pbid.of("acc", "0");
        String older = Pbid.of("acc", "1");
        String newer = Pbid.of("acc", "2");
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        Instant now = t0.plus(Duration.ofDays(40));
        claim(known, "alice@example.com", earlier, now.minusSeconds(60));
        claim(expired, "alice@example.com", earlier, t0);

        Map<Pair, String> owners = claimAll(List.of(
                new Claim(fresh, "bob@example.com", newer),
                new Claim(known, "alice@example.com", older),
                new Claim(expired, "alice@example.com", older),
                new Claim(fresh, "bob@example.com", older),
                new Claim(fresh, "carol@example.com", older),
                new Claim(expired, "alice@example.com", newer)), now);

        assertThat(owners).containsExactlyInAnyOrderEntriesOf(Map.of(
                new Pair(fresh, "bob@example.com"), newer,
                new Pair(known, "alice@example.com"), earlier,
                new Pair(expired, "alice@example.com"), older,
                new Pair(fresh, "carol@example.com"), older));
        assertThat(claim(fresh, "bob@example.com", older, now.plusSeconds(1))).as("stored").isEqualTo(newer);
        assertThat(claim(expired, "alice@example.com", newer, now.plusSeconds(1))).as("stored").isEqualTo(older);
        assertThat(claimAll(List.of(), now)).isEmpty();
    }
}
