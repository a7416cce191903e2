package io.popbridge.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The popbridge message id: deterministic from account id and UIDL, so a message fetched twice
 * (after a crash before the ledger write) carries the same id and every downstream ledger recognises it.
 */
public final class Pbid {
    private static final String PREFIX = "pb1-";

    private Pbid() {
    }

    /** 128 bits of SHA-256 over the account id and the UIDL, separated by a byte no UIDL contains. */
    public static String of(String accountId, String uidl) {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(uidl, "uidl");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(accountId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(uidl.getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest();
            return PREFIX + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The Message-ID added to a message that has none; identical on every resend of the same pbid. */
    public static String syntheticMessageId(String pbid) {
        return "<" + pbid + "@popbridge.invalid>";
    }

    public static boolean isValid(String pbid) {
        return pbid != null && pbid.matches("pb1-[0-9a-f]{32}");
    }
}
