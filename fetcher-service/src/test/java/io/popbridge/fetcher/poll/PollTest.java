package io.popbridge.fetcher.poll;

import static io.popbridge.fetcher.FetcherTestSupport.account;
import static io.popbridge.fetcher.FetcherTestSupport.column;
import static io.popbridge.fetcher.FetcherTestSupport.create;
import static io.popbridge.fetcher.FetcherTestSupport.poll;
import static io.popbridge.fetcher.FetcherTestSupport.status;
import static io.popbridge.fetcher.FetcherTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.popbridge.contract.FetchedMail;
import io.popbridge.contract.Pbid;
import io.popbridge.contract.RoutingMode;
import io.popbridge.contract.Topics;
import io.popbridge.fetcher.AdminSmtpTestResource;
import io.popbridge.fetcher.account.Account;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.SharedKafka;
import io.popbridge.testsupport.pop3.ScriptedPop3Server;
import io.popbridge.testsupport.pop3.TestCertificate;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
class PollTest {
    static GreenMail greenMail;

    @Inject
    PollHooks hooks;

    @Inject
    PollService polls;

    @Inject
    LeaseRepository leases;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeAll
    static void startMail() {
        greenMail = Mailboxes.pop3();
    }

    @AfterAll
    static void stopMail() {
        greenMail.stop();
    }

    private static Predicate<ConsumerRecord<String, byte[]>> ofAccount(String id) {
        return r -> id.equals(new String(r.headers().lastHeader("pb-account-id").value(), StandardCharsets.UTF_8));
    }

    private static List<ConsumerRecord<String, byte[]>> drain(KafkaConsumer<String, byte[]> consumer, String id, int expected) {
        List<ConsumerRecord<String, byte[]>> records = SharedKafka.await(consumer, expected, ofAccount(id), Duration.ofSeconds(15));
        // anything more that arrives shortly after would be a duplicate
        records.addAll(nothingMore(consumer, id));
        return records;
    }

    /** Records of the account arriving within a second (expected: none). */
    private static List<ConsumerRecord<String, byte[]>> nothingMore(KafkaConsumer<String, byte[]> consumer, String id) {
        return SharedKafka.await(consumer, 1, ofAccount(id), Duration.ofSeconds(1));
    }

    @Test
    void one_to_one_account_publishes_each_message_once_with_exact_bytes_and_metadata() {
        String login = unique("alice");
        greenMail.setUser(login + "@localhost", login, "secret");
        List<byte[]> originals = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] raw = Mailboxes.message("one-to-one " + i, 2000 + i * 500);
            originals.add(raw);
            Mailboxes.deliver(greenMail, login, raw);
        }
        String id = create(account(unique("one-to-one"), greenMail.getPop3().getPort(), "NONE", "secret", "KEEP",
                "\"username\":\"" + login + "\""));
        try (KafkaConsumer<String, byte[]> consumer = SharedKafka.consumerAtEnd(Topics.FETCHED)) {
            JsonPath first = poll(id);
            assertThat(first.getString("outcome")).isEqualTo("OK");
            assertThat(first.getInt("messagesFetched")).isEqualTo(5);
            List<ConsumerRecord<String, byte[]>> records = drain(consumer, id, 5);
            assertThat(records).hasSize(5);
            Set<String> bodies = new HashSet<>();
            for (ConsumerRecord<String, byte[]> r : records) {
                FetchedMail mail = FetchedMail.fromHeaders(r.key(), r.headers());
                assertThat(r.key()).isEqualTo(Pbid.of(id, mail.uidl()));
                assertThat(mail.accountId()).isEqualTo(id);
                assertThat(mail.size()).isEqualTo(r.value().length);
                assertThat(mail.source()).isEqualTo("127.0.0.1:" + greenMail.getPop3().getPort());
                assertThat(mail.routing().mode()).isEqualTo(RoutingMode.SINGLE);
                assertThat(mail.routing().targets()).containsExactly("alice@example.com");
                bodies.add(new String(r.value(), StandardCharsets.ISO_8859_1));
            }
            assertThat(bodies).containsExactlyInAnyOrderElementsOf(
                    originals.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList());

            JsonPath second = poll(id);
            assertThat(second.getString("outcome")).isEqualTo("OK");
            assertThat(second.getInt("messagesFetched")).isZero();
            assertThat(nothingMore(consumer, id)).isEmpty();
        }
        JsonPath status = status(id);
        assertThat(status.getInt("messagesOnServer")).isEqualTo(5);
        assertThat(status.getInt("messagesWaiting")).isEqualTo(5);
        assertThat(status.getString("lastOutcome")).isEqualTo("OK");
        assertThat(status.getInt("consecutiveFailures")).isZero();
    }

    @Test
    void a_crash_between_broker_ack_and_ledger_write_republishes_the_same_pbids_and_nothing_else() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            for (int i = 0; i < 3; i++) {
                server.add("crash-" + i, Mailboxes.message("crash " + i, 1000));
            }
            String id = create(account(unique("crash"), server.port(), "NONE", "secret", "KEEP", null));
            try (KafkaConsumer<String, byte[]> consumer = SharedKafka.consumerAtEnd(Topics.FETCHED)) {
                hooks.beforeLedgerWrite(() -> {
                    throw new IllegalStateException("simulated crash before the ledger write");
                });
                JsonPath crashed;
                try {
                    crashed = poll(id);
                } finally {
                    hooks.beforeLedgerWrite(null);
                }
                assertThat(crashed.getString("outcome")).isNotEqualTo("OK");
                List<ConsumerRecord<String, byte[]>> firstTime = drain(consumer, id, 3);
                assertThat(firstTime).hasSize(3);
                assertThat(column("select count(*) from ledger where account_id = ?::uuid", id)).containsExactly("0");

                JsonPath again = poll(id);
                assertThat(again.getString("outcome")).isEqualTo("OK");
                assertThat(again.getInt("messagesFetched")).isEqualTo(3);
                List<ConsumerRecord<String, byte[]>> secondTime = drain(consumer, id, 3);
                assertThat(secondTime.stream().map(ConsumerRecord::key).toList())
                        .containsExactlyInAnyOrderElementsOf(firstTime.stream().map(ConsumerRecord::key).toList());
                assertThat(secondTime.stream().map(ConsumerRecord::key).toList()).containsExactlyInAnyOrder(
                        Pbid.of(id, "crash-0"), Pbid.of(id, "crash-1"), Pbid.of(id, "crash-2"));

                assertThat(poll(id).getInt("messagesFetched")).isZero();
                assertThat(nothingMore(consumer, id)).isEmpty();
            }
        }
    }

    @Test
    void a_connection_drop_after_dele_before_quit_deletes_nothing_and_republishes_nothing() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            for (int i = 0; i < 4; i++) {
                server.add("drop-" + i, Mailboxes.message("drop " + i, 800));
            }
            server.dropOnQuit(true);
            String id = create(account(unique("drop"), server.port(), "NONE", "secret", "DELETE_AFTER_FETCH", null));
            try (KafkaConsumer<String, byte[]> consumer = SharedKafka.consumerAtEnd(Topics.FETCHED)) {
                JsonPath dropped = poll(id);
                assertThat(dropped.getString("outcome")).isEqualTo("PROTOCOL_ERROR");
                assertThat(dropped.getString("error")).contains("QUIT");
                assertThat(server.commands()).contains("DELE 1", "QUIT");
                assertThat(server.messages()).hasSize(4);
                assertThat(server.committedDeletes()).isZero();
                assertThat(drain(consumer, id, 4)).hasSize(4);

                server.dropOnQuit(false);
                JsonPath next = poll(id);
                assertThat(next.getString("outcome")).isEqualTo("OK");
                assertThat(next.getInt("messagesFetched")).isZero();
                assertThat(next.getInt("messagesDeleted")).isEqualTo(4);
                assertThat(server.messages()).isEmpty();
                assertThat(nothingMore(consumer, id)).isEmpty();
            }
        }
    }

    @Test
    void a_wrong_password_ends_in_auth_failed_with_the_server_reply_status_and_metric() {
        String login = unique("bob");
        greenMail.setUser(login + "@localhost", login, "right");
        String id = create(account(unique("wrong-pw"), greenMail.getPop3().getPort(), "NONE", "wrong", "KEEP",
                "\"username\":\"" + login + "\""));
        JsonPath result = poll(id);
        assertThat(result.getString("outcome")).isEqualTo("AUTH_FAILED");
        assertThat(result.getString("reply")).startsWith("-ERR");
        JsonPath status = status(id);
        assertThat(status.getString("lastOutcome")).isEqualTo("AUTH_FAILED");
        assertThat(status.getInt("consecutiveFailures")).isEqualTo(1);
        assertThat(status.getString("lastReply")).startsWith("-ERR");
        assertThat(status.getString("lastError")).doesNotContain("wrong");
        assertMetric("popbridge_fetcher_polls_total{account=\"" + id + "\",outcome=\"AUTH_FAILED\"} 1.0");
        assertMetric("popbridge_fetcher_consecutive_failures{account=\"" + id + "\"} 1.0");
    }

    @Test
    void tls_to_a_server_with_an_untrusted_certificate_ends_in_tls_failed() {
        String login = unique("carol");
        greenMail.setUser(login + "@localhost", login, "secret");
        String id = create(account(unique("untrusted"), greenMail.getPop3s().getPort(), "TLS", "secret", "KEEP",
                "\"username\":\"" + login + "\""));
        JsonPath result = poll(id);
        assertThat(result.getString("outcome")).isEqualTo("TLS_FAILED");
        assertThat(status(id).getString("lastOutcome")).isEqualTo("TLS_FAILED");
        assertMetric("popbridge_fetcher_polls_total{account=\"" + id + "\",outcome=\"TLS_FAILED\"} 1.0");
    }

    @Test
    void tls_with_verification_off_reaches_greenmail_pop3s() {
        String login = unique("dave");
        greenMail.setUser(login + "@localhost", login, "secret");
        Mailboxes.deliver(greenMail, login, Mailboxes.message("over tls", 500));
        String id = create(account(unique("tls-noverify"), greenMail.getPop3s().getPort(), "TLS", "secret", "KEEP",
                "\"username\":\"" + login + "\",\"verifyCertificate\":false"));
        JsonPath result = poll(id);
        assertThat(result.getString("outcome")).isEqualTo("OK");
        assertThat(result.getInt("messagesFetched")).isEqualTo(1);
    }

    @Test
    void a_custom_ca_is_trusted_and_the_host_name_is_verified() throws Exception {
        TestCertificate localhost = TestCertificate.generate("localhost", "dns:localhost,ip:127.0.0.1");
        TestCertificate other = TestCertificate.generate("mail.other.example", "dns:mail.other.example");
        try (ScriptedPop3Server good = ScriptedPop3Server.startTls(localhost.serverContext());
             ScriptedPop3Server wrongName = ScriptedPop3Server.startTls(other.serverContext())) {
            good.add("tls-1", Mailboxes.message("custom ca", 400));
            String ca = localhost.pem().replace("\n", "\\n");
            String ok = create(account(unique("custom-ca"), good.port(), "TLS", "secret", "KEEP", "\"customCa\":\"" + ca + "\""));
            assertThat(poll(ok).getString("outcome")).isEqualTo("OK");

            String otherCa = other.pem().replace("\n", "\\n");
            String mismatch = create(account(unique("wrong-host"), wrongName.port(), "TLS", "secret", "KEEP",
                    "\"customCa\":\"" + otherCa + "\""));
            JsonPath result = poll(mismatch);
            assertThat(result.getString("outcome")).isEqualTo("TLS_FAILED");
        }
    }

    @Test
    void starttls_upgrades_before_login_and_a_server_without_stls_fails_with_tls_failed() throws Exception {
        TestCertificate localhost = TestCertificate.generate("localhost", "dns:localhost,ip:127.0.0.1");
        String ca = localhost.pem().replace("\n", "\\n");
        try (ScriptedPop3Server stls = ScriptedPop3Server.startWithStls(localhost.serverContext());
             ScriptedPop3Server plain = ScriptedPop3Server.start()) {
            stls.add("s1", Mailboxes.message("starttls", 400));
            String id = create(account(unique("starttls"), stls.port(), "STARTTLS", "secret", "KEEP", "\"customCa\":\"" + ca + "\""));
            JsonPath ok = poll(id);
            assertThat(ok.getString("outcome")).isEqualTo("OK");
            assertThat(ok.getInt("messagesFetched")).isEqualTo(1);
            List<String> commands = stls.commands();
            assertThat(commands.indexOf("STLS")).isGreaterThanOrEqualTo(0).isLessThan(commands.indexOf("USER user"));

            String downgrade = create(account(unique("no-stls"), plain.port(), "STARTTLS", "secret", "KEEP", null));
            JsonPath refused = poll(downgrade);
            assertThat(refused.getString("outcome")).isEqualTo("TLS_FAILED");
            assertThat(refused.getString("error")).contains("STLS");
            assertThat(plain.commands()).noneMatch(c -> c.startsWith("USER") || c.startsWith("PASS"));
        }
    }

    @Test
    void an_unreachable_host_ends_in_connect_failed() throws Exception {
        JsonPath result;
        String id;
        // bound but not listening: connections are refused, and no other listener can take the port meanwhile
        try (Socket holder = new Socket()) {
            holder.setReuseAddress(false);
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            id = create(account(unique("unreachable"), holder.getLocalPort(), "NONE", "secret", "KEEP", null));
            result = poll(id);
        }
        assertThat(result.getString("outcome")).isEqualTo("CONNECT_FAILED");
        assertThat(status(id).getString("lastOutcome")).isEqualTo("CONNECT_FAILED");
        assertMetric("popbridge_fetcher_polls_total{account=\"" + id + "\",outcome=\"CONNECT_FAILED\"} 1.0");
    }

    /** Three 3,000-byte messages, UIDLs {@code prefix}-0 to -2. */
    private static void addThree(ScriptedPop3Server server, String prefix) {
        for (int i = 0; i < 3; i++) {
            server.add(prefix + "-" + i, Mailboxes.message(prefix + " " + i, 3000));
        }
    }

    /** Once the server behaves again, the next poll fetches the two messages the failed one left. */
    private void nextPollFetchesTheRest(ScriptedPop3Server server, KafkaConsumer<String, byte[]> consumer, String id, String prefix) {
        server.noStall();
        JsonPath next = poll(id);
        assertThat(next.getString("outcome")).isEqualTo("OK");
        assertThat(drain(consumer, id, 2)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(Pbid.of(id, prefix + "-1"), Pbid.of(id, prefix + "-2"));
    }

    @Test
    void a_server_stalling_mid_retr_ends_in_timeout_without_half_published_messages() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            addThree(server, "stall");
            server.stallDuringRetr("stall-1", 1000, 10_000);
            String id = create(account(unique("stall"), server.port(), "NONE", "secret", "KEEP", null));
            try (KafkaConsumer<String, byte[]> consumer = SharedKafka.consumerAtEnd(Topics.FETCHED)) {
                JsonPath result = poll(id);
                assertThat(result.getString("outcome")).isEqualTo("TIMEOUT");
                assertThat(result.getInt("messagesFetched")).isEqualTo(1);
                List<ConsumerRecord<String, byte[]>> records = drain(consumer, id, 1);
                assertThat(records).extracting(ConsumerRecord::key).containsExactly(Pbid.of(id, "stall-0"));
                assertThat(status(id).getString("lastOutcome")).isEqualTo("TIMEOUT");
                assertMetric("popbridge_fetcher_polls_total{account=\"" + id + "\",outcome=\"TIMEOUT\"} 1.0");

                nextPollFetchesTheRest(server, consumer, id, "stall");
            }
        }
    }

    @Test
    void a_server_trickling_bytes_is_cut_off_at_the_poll_time_limit_keeping_what_arrived() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            addThree(server, "trickle");
            // a byte every 500 ms: the 3 s read timeout never fires, the message would take 25 minutes
            server.trickleDuringRetr("trickle-1", 500);
            String id = create(account(unique("trickle"), server.port(), "NONE", "secret", "KEEP", null));
            try (KafkaConsumer<String, byte[]> consumer = SharedKafka.consumerAtEnd(Topics.FETCHED)) {
                Account account = leases.leaseNow(UUID.fromString(id), "trickle-test", Duration.ofMinutes(5)).orElseThrow();
                long begin = System.nanoTime();
                PollReport report = polls.poll(account, "trickle-test", Duration.ofSeconds(2));
                assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(15));
                assertThat(report.outcome()).isEqualTo(PollOutcome.TIMEOUT);
                assertThat(report.error()).contains("poll stopped after 2 s (fetcher.poll.max-duration)").contains("RETR");
                assertThat(report.messagesFetched()).isEqualTo(1);
                assertThat(drain(consumer, id, 1)).extracting(ConsumerRecord::key).containsExactly(Pbid.of(id, "trickle-0"));
                assertThat(status(id).getString("lastOutcome")).isEqualTo("TIMEOUT");

                nextPollFetchesTheRest(server, consumer, id, "trickle");
            }
        }
    }

    @Test
    void a_server_without_uidl_fails_the_account_clearly_and_fetches_nothing() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("x", Mailboxes.message("no uidl", 300)).withoutUidl();
            String id = create(account(unique("no-uidl"), server.port(), "NONE", "secret", "KEEP", null));
            JsonPath result = poll(id);
            assertThat(result.getString("outcome")).isEqualTo("PROTOCOL_ERROR");
            assertThat(result.getString("error")).contains("UIDL");
            assertThat(result.getInt("messagesFetched")).isZero();
            assertThat(server.commands()).noneMatch(c -> c.startsWith("RETR"));
        }
    }

    @Test
    void eight_bit_binary_dot_lines_and_a_missing_final_crlf_arrive_byte_exact() throws Exception {
        byte[] eightBit = "Subject: 8bit\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe aus K\u00f6ln\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] binary = new byte[4096];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31 + 7);
        }
        byte[] withHeader = concat(concat("Subject: binary\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII), binary), "\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] dots = "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] noFinalCrlf = "Subject: no final CRLF\r\n\r\nlast line without terminator".getBytes(StandardCharsets.US_ASCII);
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("8bit", eightBit).add("binary", withHeader).add("dots", dots).add("nocrlf", noFinalCrlf);
            String id = create(account(unique("exact"), server.port(), "NONE", "secret", "KEEP", null));
            try (KafkaConsumer<String, byte[]> consumer = SharedKafka.consumerAtEnd(Topics.FETCHED)) {
                assertThat(poll(id).getInt("messagesFetched")).isEqualTo(4);
                Map<String, byte[]> byUidl = new java.util.HashMap<>();
                for (ConsumerRecord<String, byte[]> r : drain(consumer, id, 4)) {
                    byUidl.put(FetchedMail.fromHeaders(r.key(), r.headers()).uidl(), r.value());
                }
                assertThat(byUidl.get("8bit")).isEqualTo(eightBit);
                assertThat(byUidl.get("binary")).isEqualTo(withHeader);
                assertThat(byUidl.get("dots")).isEqualTo(dots);
                // RETR cannot carry a missing final CRLF (RFC 1939 3): the server adds it, we publish what RETR returned
                assertThat(byUidl.get("nocrlf")).isEqualTo(concat(noFinalCrlf, "\r\n".getBytes(StandardCharsets.US_ASCII)));
            }
        }
    }

    @Test
    void a_25_mb_message_is_streamed_and_published_intact() throws Exception {
        byte[] big = Mailboxes.message("twenty-five megabytes", 25 * 1024 * 1024);
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("big", big);
            String id = create(account(unique("25mb"), server.port(), "NONE", "secret", "KEEP", null));
            try (KafkaConsumer<String, byte[]> consumer = SharedKafka.consumerAtEnd(Topics.FETCHED)) {
                JsonPath result = poll(id);
                assertThat(result.getString("outcome")).isEqualTo("OK");
                assertThat(result.getLong("bytesFetched")).isEqualTo(big.length);
                List<ConsumerRecord<String, byte[]>> records = drain(consumer, id, 1);
                assertThat(records).hasSize(1);
                assertThat(java.util.Arrays.equals(records.get(0).value(), big)).isTrue();
            }
        }
    }

    @Test
    void a_message_over_the_size_limit_stays_on_the_server_and_is_reported() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("small", Mailboxes.message("small", 500)).add("big", Mailboxes.message("big", 5000));
            String id = create(account(unique("size"), server.port(), "NONE", "secret", "DELETE_AFTER_FETCH",
                    "\"maxMessageBytes\":2000"));
            JsonPath result = poll(id);
            assertThat(result.getInt("messagesFetched")).isEqualTo(1);
            assertThat(result.getInt("messagesOversized")).isEqualTo(1);
            assertThat(server.commands()).doesNotContain("RETR 2");
            assertThat(server.messages()).containsOnlyKeys("big");
            JsonPath status = status(id);
            assertThat(status.getInt("messagesOversized")).isEqualTo(1);
            assertThat(status.getInt("messagesWaiting")).isEqualTo(1);
            assertMetric("popbridge_fetcher_messages_oversized{account=\"" + id + "\"} 1.0");
        }
    }

    @Test
    void retention_keep_never_deletes_and_delete_after_fetch_deletes_what_the_broker_acknowledged() throws Exception {
        try (ScriptedPop3Server keep = ScriptedPop3Server.start(); ScriptedPop3Server fetch = ScriptedPop3Server.start()) {
            keep.add("k1", Mailboxes.message("keep", 300));
            fetch.add("f1", Mailboxes.message("fetch", 300)).add("f2", Mailboxes.message("fetch 2", 300));
            String keepId = create(account(unique("keep"), keep.port(), "NONE", "secret", "KEEP", null));
            String fetchId = create(account(unique("after-fetch"), fetch.port(), "NONE", "secret", "DELETE_AFTER_FETCH", null));
            poll(keepId);
            poll(keepId);
            assertThat(keep.messages()).containsOnlyKeys("k1");
            assertThat(keep.commands()).noneMatch(c -> c.startsWith("DELE"));
            assertThat(poll(fetchId).getInt("messagesDeleted")).isEqualTo(2);
            assertThat(fetch.messages()).isEmpty();
            assertMetric("popbridge_fetcher_messages_deleted_total{account=\"" + fetchId + "\"} 2.0");
            assertThat(column("select status from message where account_id = ?::uuid", fetchId)).containsOnly("DELETED");
            assertThat(column("select count(*) from ledger where account_id = ?::uuid", fetchId)).containsExactly("0");
        }
    }

    @Test
    void deletes_are_bounded_per_session_with_quit_and_reconnect() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            for (int i = 0; i < 450; i++) {
                server.add("bulk-" + i, ("Subject: bulk " + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            String id = create(account(unique("bulk"), server.port(), "NONE", "secret", "DELETE_AFTER_FETCH", null));
            JsonPath result = poll(id);
            assertThat(result.getInt("messagesFetched")).isEqualTo(450);
            assertThat(result.getInt("messagesDeleted")).isEqualTo(450);
            assertThat(server.sessions()).isEqualTo(3); // 200 + 200 + 50 deletes (fetcher.poll.max-deletes-per-session)
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void ledger_rows_of_messages_gone_from_the_server_are_pruned() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("p1", Mailboxes.message("prune 1", 300)).add("p2", Mailboxes.message("prune 2", 300));
            String id = create(account(unique("prune"), server.port(), "NONE", "secret", "KEEP", null));
            poll(id);
            assertThat(column("select uidl from ledger where account_id = ?::uuid order by uidl", id)).containsExactly("p1", "p2");
            removeFrom(server, "p1"); // another client (the user's mail program) removed p1
            poll(id);
            assertThat(column("select uidl from ledger where account_id = ?::uuid", id)).containsExactly("p2");
        }
    }

    private static void removeFrom(ScriptedPop3Server server, String uidl) throws Exception {
        server.dropOnQuit(false);
        // delete through the protocol, as another POP3 client would
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            var out = s.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            in.readLine();
            int number = new ArrayList<>(server.messages().keySet()).indexOf(uidl) + 1;
            out.write(("USER user\r\nPASS secret\r\nDELE " + number + "\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 4; i++) {
                in.readLine();
            }
        }
    }

    void assertMetric(String line) {
        String body = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(body.lines()).anySatisfy(l -> assertThat(l).isEqualTo(line));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
