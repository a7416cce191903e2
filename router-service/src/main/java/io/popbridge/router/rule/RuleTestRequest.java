package io.popbridge.router.rule;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record RuleTestRequest(@NotBlank @Size(max = 1000) String address) {
}
