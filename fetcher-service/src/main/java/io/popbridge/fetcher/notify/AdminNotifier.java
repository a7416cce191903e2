package io.popbridge.fetcher.notify;

import io.popbridge.fetcher.FetcherConfig;
import io.popbridge.fetcher.account.Account;
import io.popbridge.fetcher.poll.PollReport;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Tells the admin by mail when an account starts failing and when it recovers (the SBS "nobody noticed" problem). */
@ApplicationScoped
public class AdminNotifier {
    @Inject
    Mailer mailer;

    @Inject
    FetcherConfig config;

    /** True if a notice was sent. */
    public boolean failing(Account account, PollReport report, int failures) {
        return send("[popbridge] POP3 account '" + account.name() + "' is failing: " + report.outcome(),
                "The account '" + account.name() + "' (" + account.source() + ", id " + account.id() + ") failed "
                        + failures + " polls in a row.\n\nLast outcome: " + report.outcome() + "\nError: " + report.error()
                        + "\nServer reply: " + (report.reply() == null ? "(none)" : report.reply())
                        + "\n\nMail for this account is not being collected until this is fixed.\n");
    }

    public boolean recovered(Account account, PollReport report) {
        return send("[popbridge] POP3 account '" + account.name() + "' recovered",
                "The account '" + account.name() + "' (" + account.source() + ", id " + account.id()
                        + ") polled successfully again at " + report.finishedAt() + ".\n");
    }

    private boolean send(String subject, String text) {
        if (config.notification().adminAddress().isEmpty()) {
            return false;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                mailer.send(Mail.withText(config.notification().adminAddress().get(), subject, text));
                return true;
            } catch (RuntimeException e) { // once more: a relay may drop a connection the client still holds (421)
                Log.warnf("admin notification '%s' could not be sent (attempt %d): %s", subject, attempt, e.getMessage());
                if (attempt == 2) {
                    return false; // a "recovered" notice is tried again at the next successful poll
                }
            }
        }
    }
}
