package io.popbridge.fetcher.history;

import static io.popbridge.fetcher.FetcherTestSupport.account;
import static io.popbridge.fetcher.FetcherTestSupport.column;
import static io.popbridge.fetcher.FetcherTestSupport.create;
import static io.popbridge.fetcher.FetcherTestSupport.unique;
import static io.popbridge.fetcher.FetcherTestSupport.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.fetcher.AdminSmtpTestResource;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
class HistoryCleanupTest {
    static final Instant NOW = Instant.now();
    static final Instant OLD = NOW.minus(Duration.ofDays(40));
    static final Instant RECENT = NOW.minus(Duration.ofDays(1));
    static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));

    @Inject
    HistoryCleanup cleanup;

    @Test
    void old_polls_and_settled_messages_gone_from_the_server_are_forgotten_the_rest_stays() throws SQLException {
        UUID quiet = newAccount(unique("history-quiet"));
        UUID busy = newAccount(unique("history-busy"));
        String quietFirst = poll(quiet, OLD);
        String quietLatest = poll(quiet, OLD.plusSeconds(60));
        String busyOld = poll(busy, OLD);
        String busyRecent = poll(busy, RECENT);

        String finalGone = message(busy, "FINAL", OLD, null, false);
        String deletedGone = message(busy, "DELETED", OLD, OLD, false);
        String finalOnServer = message(busy, "FINAL", OLD, null, true);
        String stillRouted = message(busy, "ROUTED", null, null, false);
        String finalRecent = message(busy, "FINAL", RECENT, null, false);
        String finalGoneEvent = event(finalGone, OLD);
        String onServerEvent = event(finalOnServer, OLD);
        String orphanOld = event(pbid(), OLD);
        String orphanRecent = event(pbid(), RECENT);

        HistoryCleanup.Removed removed = cleanup.cleanUp(CUTOFF);

        assertThat(removed.polls()).isGreaterThanOrEqualTo(2);
        assertThat(removed.messages()).isGreaterThanOrEqualTo(2);
        assertThat(removed.orphanEvents()).isGreaterThanOrEqualTo(1);
        assertThat(existing("poll", "id::text", quietFirst, quietLatest, busyOld, busyRecent))
                .as("each account keeps its latest poll").containsExactlyInAnyOrder(quietLatest, busyRecent);
        assertThat(existing("message", "pbid", finalGone, deletedGone, finalOnServer, stillRouted, finalRecent))
                .as("messages not final, still on the server, or recent stay")
                .containsExactlyInAnyOrder(finalOnServer, stillRouted, finalRecent);
        assertThat(existing("message_event", "id::text", finalGoneEvent, onServerEvent, orphanOld, orphanRecent))
                .containsExactlyInAnyOrder(onServerEvent, orphanRecent);

        cleanup.cleanUp(CUTOFF);
        assertThat(existing("message", "pbid", finalOnServer, stillRouted, finalRecent)).as("a second run keeps them").hasSize(3);
    }

    private static UUID newAccount(String name) {
        return UUID.fromString(create(account(name, 110, "NONE", "pw", "DELETE_AFTER_DELIVERY", null)));
    }

    private static String poll(UUID account, Instant at) {
        return column("insert into poll (account_id, started_at, finished_at, outcome) values (?, ?, ?, 'OK') returning id",
                account, Timestamp.from(at), Timestamp.from(at.plusSeconds(1))).get(0);
    }

    private static String message(UUID account, String status, Instant finalAt, Instant deletedAt, boolean onServer) {
        String pbid = pbid();
        String uidl = "uidl-" + pbid;
        update("insert into message (pbid, account_id, uidl, size, fetched_at, status, final_at, deleted_at, updated_at) "
                + "values (?, ?, ?, 10, ?, ?, ?, ?, ?)", pbid, account, uidl, Timestamp.from(OLD), status,
                finalAt == null ? null : Timestamp.from(finalAt), deletedAt == null ? null : Timestamp.from(deletedAt),
                Timestamp.from(finalAt == null ? OLD : finalAt));
        if (onServer) {
            update("insert into ledger (account_id, uidl, pbid, fetched_at) values (?, ?, ?, ?)", account, uidl, pbid,
                    Timestamp.from(OLD));
        }
        return pbid;
    }

    private static String event(String pbid, Instant at) {
        return column("insert into message_event (pbid, type, at, kafka_partition, kafka_offset) values (?, 'DELIVERED', ?, -1, ?) "
                + "returning id", pbid, Timestamp.from(at), ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)).get(0);
    }

    private static String pbid() {
        return "pb1-" + UUID.randomUUID().toString().replace("-", "");
    }

    private static List<String> existing(String table, String key, String... values) {
        return column("select " + key + " from " + table + " where " + key + " = any(?)", (Object) values);
    }
}
