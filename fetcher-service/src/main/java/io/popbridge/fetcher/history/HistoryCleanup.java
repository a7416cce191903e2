package io.popbridge.fetcher.history;

import io.agroal.api.AgroalDataSource;
import io.popbridge.fetcher.FetcherConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Keeps the fetcher's tables as large as its mailboxes rather than its history: deletes polls, and messages that
 * are settled and no longer on their POP3 server (no UIDL ledger row), with their outcome events, once older than
 * {@code fetcher.history.retention}. Each account's latest poll stays (its status shows it); so does every message
 * that is not final or still on the server, whatever its age (a deletion decision may still need it).
 */
@ApplicationScoped
public class HistoryCleanup {
    private static final int CHUNK = 10_000; // rows per statement: short transactions, no long locks

    // each statement deletes one chunk and returns how many rows of its table it deleted
    private static final String POLLS = """
            with gone as (delete from poll where id in (select p.id from poll p where p.finished_at < ?
                and exists (select 1 from poll newer where newer.account_id = p.account_id and newer.id > p.id)
                limit ?) returning 1)
            select count(*) from gone""";
    private static final String MESSAGES = """
            with gone as (delete from message where pbid in (select m.pbid from message m
                where m.status in ('FINAL', 'DELETED') and coalesce(m.deleted_at, m.final_at, m.updated_at) < ?
                and not exists (select 1 from ledger l where l.account_id = m.account_id and l.uidl = m.uidl)
                limit ?) returning pbid),
            events as (delete from message_event e using gone where e.pbid = gone.pbid)
            select count(*) from gone""";
    private static final String ORPHAN_EVENTS = """
            with gone as (delete from message_event where id in (select e.id from message_event e where e.at < ?
                and not exists (select 1 from message m where m.pbid = e.pbid) limit ?) returning 1)
            select count(*) from gone""";

    @Inject
    AgroalDataSource db;
    @Inject
    FetcherConfig config;

    /** What one clean-up removed. */
    public record Removed(int polls, int messages, int orphanEvents) {
    }

    @Scheduled(every = "{fetcher.history.cleanup-every}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Instant cutoff = Instant.now().minus(config.history().retention());
            Removed removed = cleanUp(cutoff);
            if (removed.polls() + removed.messages() + removed.orphanEvents() > 0) {
                Log.infof("history clean-up: %d polls, %d settled messages gone from their server (with their outcome "
                        + "events) and %d orphan events older than %s removed", removed.polls(), removed.messages(),
                        removed.orphanEvents(), cutoff);
            }
        } catch (SQLException e) {
            Log.warnf("history clean-up failed (retried at the next run): %s", e.getMessage());
        }
    }

    /** Deletes what is older than {@code cutoff}, in chunks. */
    public Removed cleanUp(Instant cutoff) throws SQLException {
        return new Removed(deleteAll(POLLS, cutoff), deleteAll(MESSAGES, cutoff), deleteAll(ORPHAN_EVENTS, cutoff));
    }

    private int deleteAll(String sql, Instant cutoff) throws SQLException {
        int total = 0;
        try (Connection c = db.getConnection(); PreparedStatement delete = c.prepareStatement(sql)) {
            for (int deleted = CHUNK; deleted >= CHUNK; total += deleted) {
                delete.setTimestamp(1, Timestamp.from(cutoff));
                delete.setInt(2, CHUNK);
                try (ResultSet rs = delete.executeQuery()) {
                    rs.next();
                    deleted = rs.getInt(1);
                }
            }
        }
        return total;
    }
}
