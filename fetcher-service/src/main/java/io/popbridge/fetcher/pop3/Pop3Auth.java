package io.popbridge.fetcher.pop3;

/** Login mechanism. XOAUTH2 is reserved for OAuth2 providers and not implemented yet. */
public enum Pop3Auth {
    USER_PASS,
    APOP,
    SASL_PLAIN,
    XOAUTH2
}
