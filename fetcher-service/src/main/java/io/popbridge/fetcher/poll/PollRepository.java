package io.popbridge.fetcher.poll;

import static io.popbridge.fetcher.Jdbc.instant;

import io.agroal.api.AgroalDataSource;
import io.popbridge.fetcher.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Poll history, account state and the lease release that ends a poll, in one transaction. */
@ApplicationScoped
public class PollRepository {
    private static final String POLL_SELECT = "select id, started_at, finished_at, outcome, error, reply, messages_on_server, "
            + "messages_fetched, bytes_fetched, messages_deleted, messages_oversized, owner from poll ";

    @Inject
    AgroalDataSource db;

    /**
     * Records the poll, updates the account state (mailbox figures only after a successful poll), and releases
     * the lease with the next due time, if {@code owner} still holds it.
     */
    public FinishedPoll finish(PollReport r, Instant nextPollAt) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement ps = c.prepareStatement("insert into poll (account_id, owner, started_at, finished_at, "
                        + "outcome, error, reply, messages_on_server, messages_fetched, bytes_fetched, messages_deleted, "
                        + "messages_oversized) values (?,?,?,?,?,?,?,?,?,?,?,?) returning id")) {
                    ps.setObject(1, r.accountId());
                    ps.setString(2, r.owner());
                    ps.setTimestamp(3, Timestamp.from(r.startedAt()));
                    ps.setTimestamp(4, Timestamp.from(r.finishedAt()));
                    ps.setString(5, r.outcome().name());
                    ps.setString(6, r.error());
                    ps.setString(7, r.reply());
                    if (r.outcome() == PollOutcome.OK) {
                        ps.setInt(8, r.messagesOnServer());
                    } else {
                        ps.setNull(8, Types.INTEGER);
                    }
                    ps.setInt(9, r.messagesFetched());
                    ps.setLong(10, r.bytesFetched());
                    ps.setInt(11, r.messagesDeleted());
                    ps.setInt(12, r.messagesOversized());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                FinishedPoll finished;
                boolean ok = r.outcome() == PollOutcome.OK;
                try (PreparedStatement ps = c.prepareStatement("update account_state set last_poll_at = ?, "
                        + "last_success_at = case when ? then ? else last_success_at end, last_outcome = ?, last_error = ?, "
                        + "last_reply = ?, consecutive_failures = case when ? then 0 else consecutive_failures + 1 end, "
                        + "messages_on_server = case when ? then ? else messages_on_server end, "
                        + "messages_waiting = case when ? then ? else messages_waiting end, "
                        + "oldest_waiting_at = case when ? then ? else oldest_waiting_at end, "
                        + "messages_oversized = case when ? then ? else messages_oversized end "
                        + "where account_id = ? returning consecutive_failures, failing_notified")) {
                    Timestamp finishedAt = Timestamp.from(r.finishedAt());
                    int i = 1;
                    ps.setTimestamp(i++, finishedAt);
                    ps.setBoolean(i++, ok);
                    ps.setTimestamp(i++, finishedAt);
                    ps.setString(i++, r.outcome().name());
                    ps.setString(i++, r.error());
                    ps.setString(i++, r.reply());
                    ps.setBoolean(i++, ok);
                    ps.setBoolean(i++, ok);
                    ps.setInt(i++, r.messagesOnServer());
                    ps.setBoolean(i++, ok);
                    ps.setInt(i++, r.messagesWaiting());
                    ps.setBoolean(i++, ok);
                    ps.setTimestamp(i++, r.oldestWaitingAt() == null ? null : Timestamp.from(r.oldestWaitingAt()));
                    ps.setBoolean(i++, ok);
                    ps.setInt(i++, r.messagesOversized());
                    ps.setObject(i, r.accountId());
                    try (ResultSet rs = ps.executeQuery()) {
                        finished = rs.next() ? new FinishedPoll(id, rs.getInt(1), rs.getBoolean(2)) : new FinishedPoll(id, 0, false);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("update account set lease_owner = null, lease_until = null, "
                        + "next_poll_at = ? where id = ? and lease_owner = ?")) {
                    ps.setTimestamp(1, Timestamp.from(nextPollAt));
                    ps.setObject(2, r.accountId());
                    ps.setString(3, r.owner());
                    ps.executeUpdate();
                }
                c.commit();
                return finished;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the poll: " + e.getMessage(), e);
        }
    }

    public void failingNotified(UUID account, boolean notified) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("update account_state set failing_notified = ? where account_id = ?")) {
            ps.setBoolean(1, notified);
            ps.setObject(2, account);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public int consecutiveFailures(UUID account) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select consecutive_failures from account_state where account_id = ?")) {
            ps.setObject(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Per account: {interval seconds, enabled (1/0), consecutive failures}, for the metric series. */
    public java.util.Map<UUID, int[]> metricInputs() {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select a.id, a.poll_interval_seconds, a.enabled, "
                     + "coalesce(s.consecutive_failures, 0) from account a left join account_state s on s.account_id = a.id");
             ResultSet rs = ps.executeQuery()) {
            java.util.Map<UUID, int[]> out = new java.util.HashMap<>();
            while (rs.next()) {
                out.put(rs.getObject(1, UUID.class), new int[] {rs.getInt(2), rs.getBoolean(3) ? 1 : 0, rs.getInt(4)});
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public Optional<AccountStatusView> status(UUID account) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select a.enabled, s.last_poll_at, s.last_success_at, s.last_outcome, "
                     + "s.last_error, s.last_reply, s.consecutive_failures, s.messages_on_server, s.messages_waiting, "
                     + "s.oldest_waiting_at, s.messages_oversized, a.next_poll_at, "
                     + "case when a.lease_until > now() then a.lease_owner end "
                     + "from account a join account_state s on s.account_id = a.id where a.id = ?")) {
            ps.setObject(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String outcome = rs.getString(4);
                return Optional.of(new AccountStatusView(account, rs.getBoolean(1), instant(rs, 2), instant(rs, 3),
                        outcome == null ? null : PollOutcome.valueOf(outcome), rs.getString(5), rs.getString(6), rs.getInt(7),
                        rs.getInt(8), rs.getInt(9), instant(rs, 10), rs.getInt(11), instant(rs, 12), rs.getString(13)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public List<PollView> history(UUID account, int limit) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(POLL_SELECT + "where account_id = ? order by id desc limit ?")) {
            ps.setObject(1, account);
            ps.setInt(2, limit);
            return Jdbc.list(ps, PollRepository::view);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static PollView view(ResultSet rs) throws SQLException {
        Instant started = instant(rs, 2);
        Instant finished = instant(rs, 3);
        Integer messagesOnServer = Jdbc.integer(rs, 7);
        return new PollView(rs.getLong(1), started, finished, finished.toEpochMilli() - started.toEpochMilli(),
                PollOutcome.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), messagesOnServer, rs.getInt(8),
                rs.getLong(9), rs.getInt(10), rs.getInt(11), rs.getString(12));
    }

}
