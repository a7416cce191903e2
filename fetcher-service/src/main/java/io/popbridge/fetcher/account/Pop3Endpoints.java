package io.popbridge.fetcher.account;

import io.popbridge.common.crypto.SecretCipher;
import io.popbridge.fetcher.FetcherConfig;
import io.popbridge.fetcher.oauth.AccessTokens;
import io.popbridge.fetcher.pop3.Pop3Auth;
import io.popbridge.fetcher.pop3.Pop3Credential;
import io.popbridge.fetcher.pop3.Pop3Endpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** How to reach and log in to an account's mailbox, for polls and connection tests alike. */
@ApplicationScoped
public class Pop3Endpoints {
    @Inject
    SecretCipher cipher;

    @Inject
    AccessTokens tokens;

    @Inject
    FetcherConfig config;

    /** The password is decrypted here; an XOAUTH2 access token is fetched (or taken from the cache) at login. */
    public Pop3Endpoint of(Account a) {
        Pop3Credential credential = a.auth() == Pop3Auth.XOAUTH2
                ? tokens.credential(a.id(), a.oauth2())
                : Pop3Credential.password(cipher.decrypt(a.passwordSecret()));
        return new Pop3Endpoint(a.host(), a.port(), a.security(), a.verifyCertificate(), a.customCa(), a.auth(),
                a.username(), credential, config.poll().connectTimeout(), config.poll().readTimeout());
    }
}
