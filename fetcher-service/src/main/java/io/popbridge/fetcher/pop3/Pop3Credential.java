package io.popbridge.fetcher.pop3;

/**
 * What the client logs in with, asked for at login time: a password, or for XOAUTH2 an OAuth2 access token that
 * may first have to be fetched from the provider (a failure there is a {@link Pop3Exception} like any login step).
 */
public interface Pop3Credential {

    /** The password, or the current access token. Never logged. */
    String secret() throws Pop3Exception;

    /** The server refused the login made with the last {@link #secret()}: a cached access token is dropped. */
    default void refused() {
    }

    static Pop3Credential password(String password) {
        return () -> password;
    }
}
