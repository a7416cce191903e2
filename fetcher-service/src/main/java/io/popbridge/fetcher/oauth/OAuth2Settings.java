package io.popbridge.fetcher.oauth;

/**
 * How an XOAUTH2 account gets its access tokens, as stored: the provider's token endpoint, the registered client,
 * and the client secret (absent for a public client) and refresh token encrypted ({@code SecretCipher} form).
 */
public record OAuth2Settings(
        String tokenUrl,
        String clientId,
        String scope,
        String encryptedClientSecret,
        String encryptedRefreshToken) {

    @Override
    public String toString() {
        return "OAuth2Settings[" + tokenUrl + ", client " + clientId + "]";
    }
}
