package io.popbridge.router.address;

import java.util.Locale;

/**
 * An address fit for {@code RCPT TO}: a dot-atom or quoted local part (printable ASCII only) and a lower-case
 * LDH domain. Built only by {@link AddressParser}, so no CR, LF, NUL or other control character can be inside.
 */
public record EnvelopeAddress(String localPart, String domain) {

    /** The address as written in SMTP: local part quoted if it is not a dot-atom. */
    public String address() {
        return localPart + "@" + domain;
    }

    /** Case-insensitive identity (ledger key, comparisons): most servers ignore local-part case too. */
    public String key() {
        return address().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return address();
    }
}
