package io.popbridge.fetcher.pop3;

/** How the connection to the POP3 server is protected. */
public enum Pop3Security {
    /** Plain text (only for trusted networks and tests). */
    NONE,
    /** Plain connect, then STLS (RFC 2595) before login; a server without STLS fails the poll. */
    STARTTLS,
    /** TLS from the first byte (POP3S, usually port 995). */
    TLS
}
