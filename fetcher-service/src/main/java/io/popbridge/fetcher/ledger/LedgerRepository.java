package io.popbridge.fetcher.ledger;

import io.agroal.api.AgroalDataSource;
import io.popbridge.fetcher.account.Retention;
import io.popbridge.fetcher.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The UIDL ledger (what the broker acknowledged, per account) and the message rows it feeds. A batch of
 * acknowledged messages is one transaction; rows of messages gone from the server are pruned.
 */
@ApplicationScoped
public class LedgerRepository {
    @Inject
    AgroalDataSource db;

    /** UIDL → pbid of every message recorded for the account. */
    public Map<String, String> known(UUID account) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select uidl, pbid from ledger where account_id = ?")) {
            ps.setObject(1, account);
            ps.setFetchSize(5000);
            Map<String, String> known = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.put(rs.getString(1), rs.getString(2));
                }
            }
            return known;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger: " + e.getMessage(), e);
        }
    }

    /** Forgets UIDLs that are no longer on the server. */
    public void prune(UUID account, Collection<String> gone) {
        if (gone.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from ledger where account_id = ? and uidl = any(?)")) {
            ps.setObject(1, account);
            ps.setArray(2, c.createArrayOf("varchar", gone.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prune the ledger: " + e.getMessage(), e);
        }
    }

    /**
     * Records acknowledged messages (ledger and message rows) in one transaction. Rows are written in pbid order,
     * as the outcome consumer writes message rows, so the two cannot deadlock; a deadlock or serialization failure
     * anyway (another writer) is retried, the writes being idempotent.
     */
    public void record(UUID account, List<LedgerEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<LedgerEntry> sorted = entries.stream().sorted(Comparator.comparing(LedgerEntry::pbid)).toList();
        for (int attempt = 1; ; attempt++) {
            try {
                write(account, sorted);
                return;
            } catch (IllegalStateException e) {
                if (attempt >= 3 || !(e.getCause() instanceof SQLException sql) || !retryable(sql)) {
                    throw e;
                }
            }
        }
    }

    private static boolean retryable(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("40P01".equals(s.getSQLState()) || "40001".equals(s.getSQLState())) {
                return true;
            }
        }
        return e.getCause() instanceof SQLException cause && cause != e && retryable(cause);
    }

    private void write(UUID account, List<LedgerEntry> entries) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ledger = c.prepareStatement("insert into ledger (account_id, uidl, pbid, fetched_at) "
                    + "values (?, ?, ?, ?) on conflict do nothing");
                 PreparedStatement message = c.prepareStatement("insert into message (pbid, account_id, uidl, size, "
                         + "fetched_at, status) values (?, ?, ?, ?, ?, 'FETCHED') on conflict (pbid) do update set "
                         + "uidl = excluded.uidl, size = excluded.size, fetched_at = excluded.fetched_at, deleted_at = null, "
                         + "status = case when message.status = 'DELETED' then 'FETCHED' else message.status end, "
                         + "updated_at = now()")) {
                for (LedgerEntry e : entries) {
                    Timestamp at = Timestamp.from(e.fetchedAt());
                    ledger.setObject(1, account);
                    ledger.setString(2, e.uidl());
                    ledger.setString(3, e.pbid());
                    ledger.setTimestamp(4, at);
                    ledger.addBatch();
                    message.setString(1, e.pbid());
                    message.setObject(2, account);
                    message.setString(3, e.uidl());
                    message.setLong(4, e.size());
                    message.setTimestamp(5, at);
                    message.addBatch();
                }
                ledger.executeBatch();
                message.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the ledger: " + e.getMessage(), e);
        }
    }

    /** UIDLs the retention policy allows to delete now. */
    public Set<String> deletable(UUID account, Retention retention) {
        String sql = switch (retention.policy()) {
            case KEEP -> null;
            case DELETE_AFTER_FETCH -> "select l.uidl from ledger l where l.account_id = ?";
            case DELETE_AFTER_DELIVERY -> "select l.uidl from ledger l join message m on m.pbid = l.pbid "
                    + "where l.account_id = ? and m.final_at is not null";
            case KEEP_DAYS -> "select l.uidl from ledger l join message m on m.pbid = l.pbid "
                    + "where l.account_id = ? and m.final_at is not null and l.fetched_at < now() - make_interval(days => "
                    + retention.days() + ")";
        };
        if (sql == null) {
            return Set.of();
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, account);
            return new HashSet<>(Jdbc.list(ps, rs -> rs.getString(1)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read deletable messages: " + e.getMessage(), e);
        }
    }

    /** After a QUIT committed the deletes: the messages are gone from the server. */
    public void deleted(UUID account, Collection<String> uidls) {
        if (uidls.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement message = c.prepareStatement("update message set status = 'DELETED', deleted_at = now(), "
                    + "updated_at = now() where pbid in (select pbid from ledger where account_id = ? and uidl = any(?))");
                 PreparedStatement ledger = c.prepareStatement("delete from ledger where account_id = ? and uidl = any(?)")) {
                java.sql.Array array = c.createArrayOf("varchar", uidls.toArray());
                message.setObject(1, account);
                message.setArray(2, array);
                message.executeUpdate();
                ledger.setObject(1, account);
                ledger.setArray(2, array);
                ledger.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record deletes: " + e.getMessage(), e);
        }
    }

    public Waiting waiting(UUID account) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*), min(l.fetched_at) from ledger l "
                     + "left join message m on m.pbid = l.pbid where l.account_id = ? and m.final_at is null")) {
            ps.setObject(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp oldest = rs.getTimestamp(2);
                return new Waiting(rs.getInt(1), oldest == null ? null : oldest.toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count waiting messages: " + e.getMessage(), e);
        }
    }
}
