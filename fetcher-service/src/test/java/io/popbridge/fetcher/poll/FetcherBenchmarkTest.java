package io.popbridge.fetcher.poll;

import static io.popbridge.fetcher.FetcherTestSupport.account;
import static io.popbridge.fetcher.FetcherTestSupport.column;
import static io.popbridge.fetcher.FetcherTestSupport.create;
import static io.popbridge.fetcher.FetcherTestSupport.poll;
import static io.popbridge.fetcher.FetcherTestSupport.unique;
import static io.popbridge.fetcher.FetcherTestSupport.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.popbridge.fetcher.AdminSmtpTestResource;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.pop3.ScriptedPop3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput figures (printed, not asserted against a time): run with
 * {@code ./mvnw -B verify -pl fetcher-service -Dtest=FetcherBenchmarkTest -Dbenchmark=true}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class FetcherBenchmarkTest {
    private static final int MESSAGES = 1000;
    private static final int SIZE = 20 * 1024;
    private static final int ACCOUNTS = 500;

    @Inject
    LeaseRepository leases;

    @Inject
    PollService polls;

    @Test
    void messages_per_second_for_one_account_with_1000_messages_of_20_kb() throws Exception {
        GreenMail greenMail = Mailboxes.pop3();
        try (ScriptedPop3Server scripted = ScriptedPop3Server.start()) {
            greenMail.setUser("bench@localhost", "bench", "secret");
            for (int i = 0; i < MESSAGES; i++) {
                byte[] raw = Mailboxes.message("bench " + i, SIZE);
                Mailboxes.deliver(greenMail, "bench", raw);
                scripted.add("bench-" + i, raw);
            }
            // warm-up (JIT, connections, producer metadata) on a small scripted mailbox
            try (ScriptedPop3Server warm = ScriptedPop3Server.start()) {
                for (int i = 0; i < 200; i++) {
                    warm.add("w" + i, Mailboxes.message("warm " + i, SIZE));
                }
                poll(create(account(unique("bench-warm"), warm.port(), "NONE", "secret", "KEEP", null)));
            }
            for (String[] target : new String[][] {
                    {"GreenMail POP3 (no PIPELINING)", Integer.toString(greenMail.getPop3().getPort()), "bench"},
                    {"scripted POP3 (PIPELINING)", Integer.toString(scripted.port()), "user"}}) {
                String id = create(account(unique("bench-1000"), Integer.parseInt(target[1]), "NONE", "secret", "KEEP",
                        "\"username\":\"" + target[2] + "\""));
                long start = System.nanoTime();
                int fetched = 0;
                int polls = 0;
                while (fetched < MESSAGES && polls < 10) { // GreenMail ends a session after 30 s; the next poll resumes
                    JsonPath result = poll(id);
                    fetched += result.getInt("messagesFetched");
                    polls++;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(fetched).isEqualTo(MESSAGES);
                System.out.printf("[benchmark] %s: %d x %d KB in %.2f s (%d polls) = %.0f messages/s, %.1f MB/s "
                                + "(RETR, publish, ack, ledger)%n", target[0], MESSAGES, SIZE / 1024, seconds, polls,
                        MESSAGES / seconds, MESSAGES * (double) SIZE / seconds / 1e6);
                long again = System.nanoTime();
                assertThat(poll(id).getInt("messagesFetched")).isZero();
                System.out.printf("[benchmark] %s: second poll of the same 1000 messages (nothing new) in %.0f ms%n",
                        target[0], (System.nanoTime() - again) / 1e6);
            }
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void polls_per_second_for_500_accounts_with_nothing_new() throws Exception {
        GreenMail greenMail = Mailboxes.pop3();
        try (ScriptedPop3Server scripted = ScriptedPop3Server.start()) {
            greenMail.setUser("idle@localhost", "idle", "secret");
            for (int i = 0; i < 3; i++) {
                byte[] raw = Mailboxes.message("idle " + i, 2000);
                Mailboxes.deliver(greenMail, "idle", raw);
                scripted.add("idle-" + i, raw);
            }
            for (String[] target : new String[][] {
                    {"GreenMail POP3", Integer.toString(greenMail.getPop3().getPort()), "idle"},
                    {"scripted POP3", Integer.toString(scripted.port()), "user"}}) {
                update("update account set enabled = false");
                for (int i = 0; i < ACCOUNTS; i++) {
                    create(account(unique("idle"), Integer.parseInt(target[1]), "NONE", "secret", "KEEP",
                            "\"username\":\"" + target[2] + "\""));
                }
                int concurrency = 8;
                try (PollWorker worker = new PollWorker("bench", leases, polls, concurrency, concurrency, Duration.ofMinutes(5))) {
                    runRound(worker, target[0] + ", first round (3 new messages per account)", ACCOUNTS);
                    runRound(worker, target[0] + ", nothing new", ACCOUNTS * 2);
                }
            }
        } finally {
            update("update account set enabled = false");
            greenMail.stop();
        }
    }

    @Test
    void a_50000_message_mailbox_with_nothing_new() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            byte[] tiny = "Subject: kept\r\n\r\nx\r\n".getBytes();
            for (int i = 0; i < 50_000; i++) {
                server.add("keep-" + i, tiny);
            }
            String id = create(account(unique("big-mailbox"), server.port(), "NONE", "secret", "KEEP", null));
            // the ledger already knows all of them (as after the first poll)
            update("insert into ledger (account_id, uidl, pbid, fetched_at) select ?::uuid, 'keep-' || g, "
                    + "'pb1-' || md5(g::text), now() from generate_series(0, 49999) g", java.util.UUID.fromString(id));
            for (int round = 1; round <= 3; round++) {
                long start = System.nanoTime();
                JsonPath result = poll(id);
                assertThat(result.getInt("messagesFetched")).isZero();
                System.out.printf("[benchmark] 50,000-message mailbox, nothing new, poll %d: %.0f ms (server-side poll %d ms)%n",
                        round, (System.nanoTime() - start) / 1e6, result.getLong("durationMillis"));
            }
        }
    }

    /**
     * Against a real Dovecot (e.g. ../shared/lab, or a private instance): {@code -Dbenchmark.dovecot.port=21110}
     * with users {@code bench} (1,000 x 20 KB, kept) and {@code idle} (a few messages), passwords {@code pw-<user>}.
     */
    @Test
    @EnabledIfSystemProperty(named = "benchmark.dovecot.port", matches = "\\d+")
    void dovecot_figures() throws Exception {
        int port = Integer.getInteger("benchmark.dovecot.port");
        String bench = create(account(unique("dovecot-1000"), port, "NONE", "pw-bench", "KEEP", "\"username\":\"bench\""));
        long start = System.nanoTime();
        JsonPath result = poll(bench);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("[benchmark] Dovecot: %d messages (%d bytes) in %.2f s = %.0f messages/s, %.1f MB/s%n",
                result.getInt("messagesFetched"), result.getLong("bytesFetched"), seconds,
                result.getInt("messagesFetched") / seconds, result.getLong("bytesFetched") / seconds / 1e6);
        update("update account set enabled = false");
        for (int i = 0; i < ACCOUNTS; i++) {
            create(account(unique("dovecot-idle"), port, "NONE", "pw-idle", "KEEP", "\"username\":\"idle\""));
        }
        try (PollWorker worker = new PollWorker("bench", leases, polls, 8, 8, Duration.ofMinutes(5))) {
            runRound(worker, "Dovecot, first round", ACCOUNTS);
            runRound(worker, "Dovecot, nothing new", ACCOUNTS * 2);
        }
        update("update account set enabled = false");
    }

    private void runRound(PollWorker worker, String label, int expectedPolls) throws InterruptedException {
        update("update account set next_poll_at = now() where enabled");
        long start = System.nanoTime();
        while (true) {
            worker.tick();
            int done = Integer.parseInt(column("select count(*) from poll p join account a on a.id = p.account_id where a.enabled").get(0));
            if (done >= expectedPolls) {
                break;
            }
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("[benchmark] %d accounts, %s: %.2f s = %.0f polls/s (8 concurrent polls, one POP3 host)%n",
                ACCOUNTS, label, seconds, ACCOUNTS / seconds);
    }
}
