package io.popbridge.stack.demo;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sample mail for the demo ISP: a 1:1 mailbox {@code alice} and a catch-all mailbox {@code office} for the
 * whole domain, where the ISP wrote one copy per recipient with its own {@code Delivered-To} header.
 */
public final class DemoMail {
    public static final String ALICE = "alice";
    public static final String OFFICE = "office";

    private final String domain;
    private final AtomicInteger sequence = new AtomicInteger();

    public DemoMail(String domain) {
        this.domain = domain;
    }

    /** The first messages: one 1:1, a team mail (two envelope copies), an alias, a foreign recipient. */
    public void seed(DemoIsp isp) {
        isp.deliver(ALICE, message("news@vendor.example", "alice@isp.test", null, "Welcome to popbridge",
                "This message came from Alice's ISP mailbox and went to her Exchange mailbox."));
        String team = message("partner@customer.example", "team@" + domain, null, "Project kick-off",
                "One ISP copy per recipient, each with its own Delivered-To header; popbridge delivers each once.");
        for (String recipient : List.of("bob@" + domain, "carol@" + domain)) {
            isp.deliver(OFFICE, "Delivered-To: " + recipient + "\r\n" + team);
        }
        isp.deliver(OFFICE, message("buyer@customer.example", "sales@" + domain, "sales@" + domain, "Quote request",
                "sales@ is an alias rule: Bob reads it."));
        isp.deliver(OFFICE, message("spam@elsewhere.example", "someone@elsewhere.example", "someone@elsewhere.example",
                "Not for us", "A recipient outside the accepted domain: this goes to the fallback mailbox."));
    }

    /** One more message, alternating between the two mailboxes: the live line shows it flowing. */
    public void next(DemoIsp isp) {
        int n = sequence.get();
        if (n % 2 == 0) {
            isp.deliver(ALICE, message("colleague@partner.example", "alice@isp.test", null, "Update #" + (n + 1),
                    "A message every few seconds while the demo runs."));
        } else {
            isp.deliver(OFFICE, message("colleague@partner.example", "bob@" + domain, "bob@" + domain,
                    "Update #" + (n + 1), "Catch-all: the envelope header says Bob."));
        }
    }

    private String message(String from, String to, String deliveredTo, String subject, String body) {
        int n = sequence.incrementAndGet();
        String date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        return (deliveredTo == null ? "" : "Delivered-To: " + deliveredTo + "\r\n")
                + "Received: from mx.isp.test by pop.isp.test; " + date + "\r\n"
                + "From: <" + from + ">\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: " + date + "\r\n"
                + "Message-ID: <demo-" + System.currentTimeMillis() + "-" + n + "@isp.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "\r\n"
                + body + "\r\n";
    }
}
