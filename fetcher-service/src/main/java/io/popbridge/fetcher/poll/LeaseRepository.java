package io.popbridge.fetcher.poll;

import io.agroal.api.AgroalDataSource;
import io.popbridge.fetcher.account.Account;
import io.popbridge.fetcher.account.AccountRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Leases on accounts in PostgreSQL: due, unleased (or expired) accounts are locked with
 * {@code FOR UPDATE SKIP LOCKED}, so replicas never wait for each other and never poll one account twice.
 */
@ApplicationScoped
public class LeaseRepository {
    @Inject
    AgroalDataSource db;

    @Inject
    AccountRepository accounts;

    /**
     * Leases up to {@code limit} due accounts for {@code owner}; {@code accept} may refuse a candidate (its host is
     * busy), which stays due for the next tick or another replica.
     */
    public List<Account> leaseDue(String owner, int limit, Duration lease, Predicate<Account> accept) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Account> candidates = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select " + AccountRepository.COLUMNS + " from account a "
                        + "where a.enabled and a.next_poll_at <= now() and (a.lease_until is null or a.lease_until < now()) "
                        + "order by a.next_poll_at limit ? for update skip locked")) {
                    ps.setInt(1, limit * 4);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            candidates.add(AccountRepository.mapRow(accounts, rs));
                        }
                    }
                }
                List<Account> leased = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("update account set lease_owner = ?, "
                        + "lease_until = now() + make_interval(secs => ?) where id = ?")) {
                    for (Account a : candidates) {
                        if (leased.size() < limit && accept.test(a)) {
                            ps.setString(1, owner);
                            ps.setDouble(2, lease.toMillis() / 1000.0);
                            ps.setObject(3, a.id());
                            ps.addBatch();
                            leased.add(a);
                        }
                    }
                    ps.executeBatch();
                }
                c.commit();
                return leased;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lease accounts: " + e.getMessage(), e);
        }
    }

    /** Leases one account now (poll now), whether due or not; empty if another poll holds it. */
    public Optional<Account> leaseNow(UUID id, String owner, Duration lease) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("update account set lease_owner = ?, "
                     + "lease_until = now() + make_interval(secs => ?) where id = ? "
                     + "and (lease_until is null or lease_until < now())")) {
            ps.setString(1, owner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setObject(3, id);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lease the account: " + e.getMessage(), e);
        }
        return accounts.find(id);
    }

    /** Extends a lease during a long poll; false if the lease was lost (expired and taken by another replica). */
    public boolean renew(UUID id, String owner, Duration lease) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("update account set lease_until = now() + make_interval(secs => ?) "
                     + "where id = ? and lease_owner = ?")) {
            ps.setDouble(1, lease.toMillis() / 1000.0);
            ps.setObject(2, id);
            ps.setString(3, owner);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot renew the lease: " + e.getMessage(), e);
        }
    }

    /** Releases every lease {@code owner} holds (at startup: polls of a killed predecessor with the same id). */
    public int releaseAll(String owner) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("update account set lease_owner = null, lease_until = null "
                     + "where lease_owner = ?")) {
            ps.setString(1, owner);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release the leases of " + owner + ": " + e.getMessage(), e);
        }
    }
}
