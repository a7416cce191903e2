package io.popbridge.fetcher.pop3;

/** Login mechanism. XOAUTH2 logs in with an OAuth2 access token (Gmail, Exchange Online / Microsoft 365). */
public enum Pop3Auth {
    USER_PASS,
    APOP,
    SASL_PLAIN,
    XOAUTH2
}
