package io.popbridge.router.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code {"name":"example.com","fallback":"postmaster@example.com"}} */
public record DomainRequest(@NotBlank @Size(max = 253) String name, @NotBlank @Size(max = 254) String fallback) {
}
