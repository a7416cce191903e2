package io.popbridge.fetcher.account;

import io.popbridge.contract.RoutingSettings;
import io.popbridge.fetcher.pop3.Pop3Auth;
import io.popbridge.fetcher.pop3.Pop3Security;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Create or replace an account. {@code password} is write-only: required on create, optional on update (null keeps
 * the stored one). An XOAUTH2 account has {@code oauth2} instead of a password. Omitted optional fields take their
 * defaults.
 */
public record AccountRequest(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9.\\-:\\[\\]]+", message = "must be a host name or IP address") String host,
        @NotNull @Min(1) @Max(65535) Integer port,
        @NotNull Pop3Security security,
        Boolean verifyCertificate,
        String customCa,
        Pop3Auth auth,
        @NotBlank @Size(max = 320) String username,
        @Size(max = 1024) String password,
        @Valid OAuth2Request oauth2,
        @Min(value = 60, message = "must be at least 60 seconds") @Max(86400) Integer pollIntervalSeconds,
        Boolean enabled,
        @Min(1) @Max(52428800) Long maxMessageBytes,
        @Valid RetentionRequest retention,
        @NotNull RoutingSettings routing) {

    public record RetentionRequest(@NotNull RetentionPolicy policy, @Min(1) @Max(3650) Integer days) {
    }

    /**
     * Where XOAUTH2 access tokens come from: the provider's token endpoint (https), the client registered there and
     * a refresh token the mailbox owner granted. {@code clientSecret} (absent for public clients) and
     * {@code refreshToken} are write-only like the password: on update, null keeps the stored one.
     */
    public record OAuth2Request(
            @NotBlank @Size(max = 2000) String tokenUrl,
            @NotBlank @Size(max = 500) String clientId,
            @Size(max = 4096) String clientSecret,
            @Size(max = 8192) String refreshToken,
            @Size(max = 1000) String scope) {

        @Override
        public String toString() {
            return "OAuth2Request[" + tokenUrl + ", client " + clientId + "]";
        }
    }

    @Override
    public String toString() {
        return "AccountRequest[" + name + " " + host + ":" + port + "]";
    }
}
