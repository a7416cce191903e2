package io.popbridge.delivery.targets;

import io.popbridge.delivery.smtp.SmtpStep;
import java.util.List;
import java.util.Map;

/** Result of {@code POST /api/v1/targets/{id}/test}: each step with its reply, and what the server offers. */
public record TargetTestView(boolean ok, boolean tls, Map<String, String> capabilities, List<SmtpStep> steps, String error) {
}
