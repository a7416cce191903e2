package io.popbridge.delivery.outcome;

import io.popbridge.delivery.DeliveryConfig;
import io.popbridge.delivery.ledger.LedgerRow;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Tells the admin (by mail, quarkus-mailer) that a message was parked and where to find it. */
@ApplicationScoped
public class ParkedNotifier {
    @Inject
    Mailer mailer;
    @Inject
    DeliveryConfig config;

    public void parked(java.util.UUID id, LedgerRow row) {
        if (config.admin().notifyAddress().isEmpty()) {
            return;
        }
        String text = "popbridge parked a message: even the fallback mailbox did not take it.\n\n"
                + "pbid:       " + row.pbid() + "\n"
                + "recipient:  " + row.recipient() + "\n"
                + "fallback:   " + row.fallback() + "\n"
                + "account:    " + row.accountName() + " (" + row.accountId() + ")\n"
                + "Message-ID: " + row.messageId() + "\n"
                + "reason:     " + row.reason() + "\n\n"
                + "It is kept in the delivery database: GET /api/v1/deliveries?state=PARKED, "
                + "then POST /api/v1/deliveries/" + id + "/retry once the cause is fixed.\n";
        try {
            mailer.send(Mail.withText(config.admin().notifyAddress().get(), "[popbridge] message parked: " + row.pbid(), text));
        } catch (RuntimeException e) {
            Log.errorf("cannot send the parked-mail notification for %s: %s", row.pbid(), e.getMessage());
        }
    }
}
