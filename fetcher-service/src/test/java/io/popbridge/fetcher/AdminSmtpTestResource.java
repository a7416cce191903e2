package io.popbridge.fetcher;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A GreenMail SMTP server (free port) that receives the admin notifications; one per test JVM. */
public class AdminSmtpTestResource implements QuarkusTestResourceLifecycleManager {
    private static GreenMail smtp;

    public static synchronized GreenMail smtp() {
        if (smtp == null) {
            smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
        }
        return smtp;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(smtp().getSmtp().getPort()));
    }

    @Override
    public void stop() {
        // shared by every Quarkus boot in this JVM
    }
}
