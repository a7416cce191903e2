package io.popbridge.delivery.smtp;

/** One step of a session as reported by a target test: what we sent (secrets masked) and what came back. */
public record SmtpStep(String step, String command, String reply) {
}
