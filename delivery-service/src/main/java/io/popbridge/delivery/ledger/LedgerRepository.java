package io.popbridge.delivery.ledger;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** The delivery ledger and the stored bytes of messages still waiting (plain JDBC: bytea without copies). */
@ApplicationScoped
public class LedgerRepository {
    private static final String COLUMNS = "id, pbid, recipient, original_recipient, state, to_fallback, fallback_reason, "
            + "account_id, account_name, uidl, source, envelope_from, fallback, fetched_at, message_id, from_header, subject, "
            + "attempts, ambiguous, last_reply, reason, first_attempt_at, last_attempt_at, next_attempt_at, updated_at";

    @Inject
    AgroalDataSource db;

    public List<LedgerRow> findByPbid(String pbid) {
        return query("select " + COLUMNS + " from delivery.delivery where pbid = ?", pbid);
    }

    /** The rows of many pbids in one query (a poll's worth), by pbid; pbids without rows are absent. */
    public Map<String, List<LedgerRow>> findByPbids(Collection<String> pbids) {
        return pbids.isEmpty() ? Map.of() : query("select " + COLUMNS + " from delivery.delivery where pbid = any(?)",
                (Object) pbids.toArray(String[]::new)).stream().collect(Collectors.groupingBy(LedgerRow::pbid));
    }

    public Optional<LedgerRow> find(UUID id) {
        return query("select " + COLUMNS + " from delivery.delivery where id = ?", id).stream().findFirst();
    }

    /** Deferred and parked rows (state null: both), oldest first. */
    public List<LedgerRow> list(DeliveryState state, int limit) {
        return state == null
                ? query("select " + COLUMNS + " from delivery.delivery where state in ('DEFERRED','PARKED') order by first_attempt_at limit " + limit)
                : query("select " + COLUMNS + " from delivery.delivery where state = ? order by first_attempt_at limit " + limit, state.name());
    }

    /** Inserts or replaces the row of (pbid, recipient); returns its id (that of the existing row on a replace). */
    public UUID save(LedgerRow r) {
        String sql = "insert into delivery.delivery (" + COLUMNS + ") values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                + "on conflict (pbid, recipient) do update set state = excluded.state, to_fallback = excluded.to_fallback, "
                + "fallback_reason = excluded.fallback_reason, attempts = excluded.attempts, ambiguous = excluded.ambiguous, "
                + "last_reply = excluded.last_reply, reason = excluded.reason, last_attempt_at = excluded.last_attempt_at, "
                + "next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at "
                + "where delivery.state not in ('DELIVERED','FALLBACK') returning id"; // a final success is never overwritten
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setObject(i++, r.id());
            ps.setString(i++, r.pbid());
            ps.setString(i++, r.recipient());
            ps.setString(i++, r.originalRecipient());
            ps.setString(i++, r.state().name());
            ps.setBoolean(i++, r.toFallback());
            ps.setString(i++, r.fallbackReason());
            ps.setString(i++, r.accountId());
            ps.setString(i++, r.accountName());
            ps.setString(i++, r.uidl());
            ps.setString(i++, r.source());
            ps.setString(i++, r.envelopeFrom());
            ps.setString(i++, r.fallback());
            ps.setTimestamp(i++, ts(r.fetchedAt()));
            ps.setString(i++, r.messageId());
            ps.setString(i++, r.fromHeader());
            ps.setString(i++, r.subject());
            ps.setInt(i++, r.attempts());
            ps.setBoolean(i++, r.ambiguous());
            ps.setString(i++, r.lastReply());
            ps.setString(i++, r.reason());
            ps.setTimestamp(i++, ts(r.firstAttemptAt()));
            ps.setTimestamp(i++, ts(r.lastAttemptAt()));
            ps.setTimestamp(i++, ts(r.nextAttemptAt()));
            ps.setTimestamp(i, ts(r.updatedAt()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : r.id();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the delivery ledger: " + e.getMessage(), e);
        }
    }

    public void storeBody(String pbid, byte[] raw) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "insert into delivery.message_body (pbid, raw, created_at) values (?, ?, now()) on conflict (pbid) do nothing")) {
            ps.setString(1, pbid);
            ps.setBytes(2, raw);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the message bytes: " + e.getMessage(), e);
        }
    }

    public Optional<byte[]> loadBody(String pbid) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select raw from delivery.message_body where pbid = ?")) {
            ps.setString(1, pbid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the message bytes: " + e.getMessage(), e);
        }
    }

    /** Deletes up to {@code limit} rows of final deliveries (delivered, fallback) last updated before {@code cutoff}. */
    public int deleteFinalBefore(Instant cutoff, int limit) {
        return update("delete from delivery.delivery where id in (select id from delivery.delivery "
                + "where state in ('DELIVERED','FALLBACK') and updated_at < ? limit ?)", Timestamp.from(cutoff), limit);
    }

    /** Drops the stored bytes once no recipient of the message is deferred or parked. */
    public void dropBodyIfUnneeded(String pbid) {
        update("delete from delivery.message_body where pbid = ? and not exists "
                + "(select 1 from delivery.delivery where pbid = ? and state in ('DEFERRED','PARKED'))", pbid, pbid);
    }

    /** Takes due deferred rows for this replica: their next attempt moves {@code lease} ahead while they run. */
    public List<LedgerRow> claimDue(int limit, Duration lease) {
        return query("update delivery.delivery set next_attempt_at = now() + (? * interval '1 millisecond') where id in ("
                + "select id from delivery.delivery where state = 'DEFERRED' and next_attempt_at <= now() "
                + "order by next_attempt_at limit ? for update skip locked) returning " + COLUMNS, lease.toMillis(), limit);
    }

    /** Makes a deferred or parked row due now; a parked one starts over from its original recipient. */
    public boolean retryNow(UUID id) {
        return update("update delivery.delivery set next_attempt_at = now(), updated_at = now(), "
                + "to_fallback = case when state = 'PARKED' then false else to_fallback end, "
                + "first_attempt_at = case when state = 'PARKED' then now() else first_attempt_at end, "
                + "state = 'DEFERRED' where id = ? and state in ('DEFERRED','PARKED')", id) == 1;
    }

    /** Deferred count, age in seconds of the oldest deferred, parked count. */
    public long[] queueStats() {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) filter (where state = 'DEFERRED'), "
                     + "coalesce(extract(epoch from now() - min(first_attempt_at) filter (where state = 'DEFERRED')), 0), "
                     + "count(*) filter (where state = 'PARKED') from delivery.delivery where state in ('DEFERRED','PARKED')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), (long) rs.getDouble(2), rs.getLong(3)};
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the queue statistics: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("delivery ledger update failed: " + e.getMessage(), e);
        }
    }

    private List<LedgerRow> query(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<LedgerRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("delivery ledger query failed: " + e.getMessage(), e);
        }
    }

    private static LedgerRow row(ResultSet rs) throws SQLException {
        return new LedgerRow(rs.getObject("id", UUID.class), rs.getString("pbid"), rs.getString("recipient"),
                rs.getString("original_recipient"), DeliveryState.valueOf(rs.getString("state")), rs.getBoolean("to_fallback"),
                rs.getString("fallback_reason"), rs.getString("account_id"), rs.getString("account_name"), rs.getString("uidl"),
                rs.getString("source"), rs.getString("envelope_from"), rs.getString("fallback"), instant(rs, "fetched_at"),
                rs.getString("message_id"), rs.getString("from_header"), rs.getString("subject"), rs.getInt("attempts"),
                rs.getBoolean("ambiguous"), rs.getString("last_reply"), rs.getString("reason"), instant(rs, "first_attempt_at"),
                instant(rs, "last_attempt_at"), instant(rs, "next_attempt_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
