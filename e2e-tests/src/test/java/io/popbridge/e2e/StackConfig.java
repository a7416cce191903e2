package io.popbridge.e2e;

import io.popbridge.stack.http.Json;
import java.util.List;
import java.util.stream.IntStream;

/**
 * popbridge configuration shared by the end-to-end tests, made through the REST APIs: one JSON body per
 * call. Domain and target are created once per stack (409 or an existing item is fine).
 */
final class StackConfig {
    static final String FALLBACK = "postmaster@" + Stack.DOMAIN;

    private StackConfig() {
    }

    /** A fresh ISP mailbox and the Exchange address a 1:1 account delivers it to. */
    record Mailbox(String login, String password, String target) {
        /** Creates the 1:1 account for this mailbox; returns its id. */
        String createSingleAccount() {
            return Stack.fetcher().post("/api/v1/accounts", singleAccount(login, password, target)).expect(201).id();
        }

        /** Puts {@code count} small messages into the ISP mailbox; returns their Message-IDs in order. */
        List<String> deliverNumbered(int count, String subject) {
            List<String> ids = IntStream.rangeClosed(1, count).mapToObj(n -> "<" + login + "-" + n + "@e2e.test>").toList();
            ids.forEach(id -> Stack.isp().deliver(login, "Subject: " + subject + "\r\nMessage-ID: " + id + "\r\n\r\nbody " + id + "\r\n"));
            return ids;
        }
    }

    /** Domain and Exchange target (once per stack), plus a new ISP mailbox for a 1:1 account. */
    static Mailbox oneToOneMailbox(String prefix) {
        domainAndExchange();
        String login = Stack.unique(prefix);
        Stack.isp().mailbox(login, "pop3-secret");
        return new Mailbox(login, "pop3-secret", login + "@" + Stack.DOMAIN);
    }

    /** What every delivery test needs: the accepted domain with its fallback, and the Exchange stand-in as target. */
    static void domainAndExchange() {
        acceptedDomainWithFallback();
        exchangeTarget();
    }

    /** The accepted domain with its fallback mailbox (idempotent). */
    static synchronized void acceptedDomainWithFallback() {
        if (!Stack.router().get("/api/v1/domains").body().contains("\"" + Stack.DOMAIN + "\"")) {
            Stack.router().post("/api/v1/domains", """
                    {"name": %s, "fallback": %s}""".formatted(q(Stack.DOMAIN), q(FALLBACK))).expect(201, 409);
        }
    }

    /** Delivery's default target: the Exchange stand-in (idempotent). */
    static synchronized void exchangeTarget() {
        if (!Stack.delivery().get("/api/v1/targets").body().contains("\"e2e-exchange\"")) {
            Stack.delivery().post("/api/v1/targets", """
                    {"name": "e2e-exchange", "host": "127.0.0.1", "port": %d, "security": "NONE", "verifyCertificate": false,
                     "customCa": null, "username": null, "password": null, "authMechanism": "PLAIN",
                     "heloName": "popbridge.e2e", "domains": [], "priority": 10,
                     "maxConnections": 4, "maxMessagesPerConnection": 100}""".formatted(Stack.exchange().port()))
                    .expect(201, 409);
        }
    }

    /** A 1:1 account on the ISP: everything in the mailbox goes to {@code target}; deleted after delivery. */
    static String singleAccount(String login, String password, String target) {
        return singleAccount(login, password, target, Stack.isp().port());
    }

    /** The same, reaching the ISP's POP3 server through {@code pop3Port} (a relay in front of it). */
    static String singleAccount(String login, String password, String target, int pop3Port) {
        return """
                {"name": %s, "host": "127.0.0.1", "port": %d, "security": "NONE", "verifyCertificate": false, "customCa": null,
                 "auth": "USER_PASS", "username": %s, "password": %s, "pollIntervalSeconds": 60, "enabled": true,
                 "maxMessageBytes": 52428800, "retention": {"policy": "DELETE_AFTER_DELIVERY", "days": null},
                 "routing": {"mode": "SINGLE", "targets": [%s], "domains": [%s], "envelopeSources": [],
                             "headerFallback": false, "hideEnvelopeHeaders": false}}"""
                .formatted(q(login), pop3Port, q(login), q(password), q(target), q(Stack.DOMAIN));
    }

    /** A catch-all account: the recipient comes from Delivered-To; only the accepted domain is delivered. */
    static String catchAllAccount(String login, String password) {
        return """
                {"name": %s, "host": "127.0.0.1", "port": %d, "security": "NONE", "verifyCertificate": false, "customCa": null,
                 "auth": "USER_PASS", "username": %s, "password": %s, "pollIntervalSeconds": 60, "enabled": true,
                 "maxMessageBytes": 52428800, "retention": {"policy": "DELETE_AFTER_DELIVERY", "days": null},
                 "routing": {"mode": "CATCH_ALL", "targets": [], "domains": [%s], "envelopeSources": ["Delivered-To"],
                             "headerFallback": false, "hideEnvelopeHeaders": false}}"""
                .formatted(q(login), Stack.isp().port(), q(login), q(password), q(Stack.DOMAIN));
    }

    private static String q(String value) {
        return Json.quote(value);
    }
}
