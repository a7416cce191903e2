package io.popbridge.router.rule;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code {"type":"WILDCARD","pattern":"*@old-domain.de","targets":["*@example.com"],"position":10,"description":""}}
 */
public record RuleRequest(
        @NotNull RuleType type,
        @NotBlank @Size(max = 512) String pattern,
        @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 512) String> targets,
        Integer position,
        @Size(max = 500) String description) {
}
