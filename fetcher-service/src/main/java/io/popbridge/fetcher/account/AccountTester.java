package io.popbridge.fetcher.account;

import io.popbridge.fetcher.pop3.Pop3Client;
import io.popbridge.fetcher.pop3.Pop3Endpoint;
import io.popbridge.fetcher.pop3.Pop3Exception;
import io.popbridge.fetcher.pop3.Pop3Security;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** Connects, negotiates TLS, logs in and runs STAT, reporting each step; reads and deletes nothing. */
@ApplicationScoped
public class AccountTester {
    @Inject
    Pop3Endpoints endpoints;

    public ConnectionTestView test(Account a) {
        Pop3Endpoint endpoint = endpoints.of(a);
        List<ConnectionTestView.Step> steps = new ArrayList<>();
        Pop3Client client;
        String connectStep = a.security() == Pop3Security.NONE ? "connect" : "connect+tls";
        try {
            client = Pop3Client.connect(endpoint);
            steps.add(new ConnectionTestView.Step(connectStep, true, "connected to " + a.source() + " (" + a.security() + ")",
                    client.greeting()));
        } catch (Pop3Exception e) {
            steps.add(new ConnectionTestView.Step(connectStep, false, e.getMessage(), e.reply()));
            return new ConnectionTestView(false, steps, List.of(), null, null);
        }
        try (client) {
            try {
                steps.add(new ConnectionTestView.Step("login", true, a.auth().name(), client.login()));
            } catch (Pop3Exception e) {
                steps.add(new ConnectionTestView.Step("login", false, e.getMessage(), e.reply()));
                return new ConnectionTestView(false, steps, client.capabilities(), null, null);
            }
            try {
                long[] stat = client.stat();
                steps.add(new ConnectionTestView.Step("stat", true, stat[0] + " messages, " + stat[1] + " octets", client.lastReply()));
                try {
                    client.quit();
                } catch (Pop3Exception ignored) {
                    // nothing was changed; a failed QUIT does not fail the test
                }
                return new ConnectionTestView(true, steps, client.capabilities(), stat[0], stat[1]);
            } catch (Pop3Exception e) {
                steps.add(new ConnectionTestView.Step("stat", false, e.getMessage(), e.reply()));
                return new ConnectionTestView(false, steps, client.capabilities(), null, null);
            }
        }
    }
}
