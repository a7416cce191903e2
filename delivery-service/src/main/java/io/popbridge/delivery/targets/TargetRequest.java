package io.popbridge.delivery.targets;

import io.popbridge.delivery.smtp.SmtpSecurity;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Create or replace a target. {@code password}: null keeps the stored one (on update), "" removes it.
 * {@code domains}: the domains this target serves; empty makes it a default target.
 */
public record TargetRequest(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9.:\\[\\]_-]+", message = "must be a host name or address") String host,
        @Min(1) @Max(65535) Integer port,
        SmtpSecurity security,
        Boolean verifyCertificate,
        String customCa,
        @Size(max = 255) String username,
        @Size(max = 1024) String password,
        @Pattern(regexp = "PLAIN|LOGIN", message = "must be PLAIN or LOGIN") String authMechanism,
        @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9.\\[\\]:_-]+", message = "must be a host name") String heloName,
        List<@NotBlank @Pattern(regexp = "[A-Za-z0-9.-]+", message = "must be a domain name") String> domains,
        @Min(0) @Max(1000) Integer priority,
        @Min(1) @Max(64) Integer maxConnections,
        @Min(1) @Max(100000) Integer maxMessagesPerConnection) {
}
