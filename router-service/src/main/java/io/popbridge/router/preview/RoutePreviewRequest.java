package io.popbridge.router.preview;

import io.popbridge.contract.RoutingSettings;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** {@code {"message":"<raw RFC 5322 text>","routing":<RoutingSettings>}} */
public record RoutePreviewRequest(@NotBlank String message, @NotNull RoutingSettings routing) {
}
