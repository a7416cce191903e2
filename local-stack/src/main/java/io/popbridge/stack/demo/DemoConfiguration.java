package io.popbridge.stack.demo;

import io.popbridge.stack.LocalStack;
import io.popbridge.stack.http.ApiClient;
import io.popbridge.stack.http.Json;
import io.popbridge.stack.service.PopbridgeService;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * popbridge's configuration for the local stack, made through its own REST APIs: one JSON body per call,
 * in the shapes agreed between the services. Adjust the bodies here when an API changes.
 *
 * @param domain    the accepted domain (Exchange's)
 * @param fallback  the domain's fallback mailbox
 * @param accounts  the ISP's POP3 mailboxes
 * @param exchange  where delivery submits
 */
public record DemoConfiguration(String domain, String fallback, List<IspAccount> accounts, SmtpTarget exchange) {

    /**
     * A POP3 mailbox: SINGLE delivers everything to {@code target}; CATCH_ALL reads the envelope headers. It logs
     * in with {@code password}, or with XOAUTH2 when {@code oauth2} is given (then {@code password} is null).
     */
    public record IspAccount(String name, String host, int port, String security, String username, String password,
                             String mode, String target, IspOAuth2 oauth2) {
        public IspAccount(String name, String host, int port, String security, String username, String password,
                          String mode, String target) {
            this(name, host, port, security, username, password, mode, target, null);
        }
    }

    /** Where an XOAUTH2 mailbox's access tokens come from ({@code clientSecret} and {@code scope} may be null). */
    public record IspOAuth2(String tokenUrl, String clientId, String clientSecret, String refreshToken, String scope) {
    }

    public record SmtpTarget(String name, String host, int port, String security) {
    }

    public void apply(LocalStack stack, PrintStream out) {
        Configurator configurator = new Configurator(out);
        ApiClient router = stack.api(PopbridgeService.ROUTER);
        ApiClient delivery = stack.api(PopbridgeService.DELIVERY);
        ApiClient fetcher = stack.api(PopbridgeService.FETCHER);
        out.println("Configuring popbridge through its REST APIs:");
        configurator.upsert(router, "/api/v1/domains", "name", domainBody());
        configurator.upsert(router, "/api/v1/rules", "pattern", aliasRuleBody());
        configurator.upsert(delivery, "/api/v1/targets", "name", targetBody());
        for (IspAccount account : accounts) {
            Optional<String> id = configurator.upsert(fetcher, "/api/v1/accounts", "name", accountBody(account));
            id.ifPresent(accountId -> configurator.call(fetcher, "POST", "/api/v1/accounts/" + accountId + "/poll", null));
        }
    }

    public String domainBody() {
        return """
                {"name": %s, "fallback": %s}""".formatted(q(domain), q(fallback));
    }

    /** An alias: sales@ goes to bob@ (an example of a rule; harmless against a real Exchange). */
    public String aliasRuleBody() {
        return """
                {"type": "EXACT", "pattern": %s, "targets": [%s], "position": 10,
                 "description": "local stack: sales@ is read by bob"}""".formatted(q("sales@" + domain), q("bob@" + domain));
    }

    public String targetBody() {
        return """
                {"name": %s, "host": %s, "port": %d, "security": %s, "verifyCertificate": false,
                 "customCa": null, "username": null, "password": null, "authMechanism": "PLAIN",
                 "heloName": "popbridge.local", "domains": [], "priority": 10,
                 "maxConnections": 4, "maxMessagesPerConnection": 100}"""
                .formatted(q(exchange.name()), q(exchange.host()), exchange.port(), q(exchange.security()));
    }

    public String accountBody(IspAccount account) {
        String routing = "SINGLE".equals(account.mode())
                ? """
                  {"mode": "SINGLE", "targets": [%s], "domains": [%s], "envelopeSources": [],
                   "headerFallback": false, "hideEnvelopeHeaders": false}""".formatted(q(account.target()), q(domain))
                : """
                  {"mode": "CATCH_ALL", "targets": [], "domains": [%s],
                   "envelopeSources": ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "Received-for"],
                   "headerFallback": false, "hideEnvelopeHeaders": true}""".formatted(q(domain));
        IspOAuth2 oauth2 = account.oauth2();
        String oauth2Body = oauth2 == null ? "null" : """
                {"tokenUrl": %s, "clientId": %s, "clientSecret": %s, "refreshToken": %s, "scope": %s}"""
                .formatted(q(oauth2.tokenUrl()), q(oauth2.clientId()), q(oauth2.clientSecret()), q(oauth2.refreshToken()),
                        q(oauth2.scope()));
        return """
                {"name": %s, "host": %s, "port": %d, "security": %s, "verifyCertificate": %s, "customCa": null,
                 "auth": %s, "username": %s, "password": %s, "oauth2": %s, "pollIntervalSeconds": 60, "enabled": true,
                 "maxMessageBytes": 52428800, "retention": {"policy": "DELETE_AFTER_DELIVERY", "days": null},
                 "routing": %s}"""
                .formatted(q(account.name()), q(account.host()), account.port(), q(account.security()),
                        !"NONE".equals(account.security()), q(oauth2 == null ? "USER_PASS" : "XOAUTH2"),
                        q(account.username()), q(account.password()), oauth2Body, routing);
    }

    private static String q(String value) {
        return Json.quote(value);
    }
}
