package io.popbridge.fetcher.poll;

import static io.popbridge.fetcher.FetcherTestSupport.account;
import static io.popbridge.fetcher.FetcherTestSupport.column;
import static io.popbridge.fetcher.FetcherTestSupport.create;
import static io.popbridge.fetcher.FetcherTestSupport.unique;
import static io.popbridge.fetcher.FetcherTestSupport.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.fetcher.AdminSmtpTestResource;
import io.popbridge.testsupport.KafkaTestResource;
import io.popbridge.testsupport.PostgresTestResource;
import io.popbridge.testsupport.pop3.ScriptedPop3Server;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(AdminSmtpTestResource.class)
class SchedulerTest {
    @Inject
    PollScheduler scheduler;

    @BeforeEach
    void onlyThisTestsAccountsAreDue() {
        update("update account set enabled = false");
    }

    @Test
    void two_fetcher_instances_poll_each_account_exactly_once_per_interval() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("m1", "Subject: s\r\n\r\nbody\r\n".getBytes());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(create(account(unique("replicas"), server.port(), "NONE", "secret", "KEEP", null)));
            }
            try (PollWorker a = scheduler.newWorker("replica-a"); PollWorker b = scheduler.newWorker("replica-b")) {
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> threads = new ArrayList<>();
                for (PollWorker w : List.of(a, b)) {
                    Thread t = new Thread(() -> {
                        while (running.get()) {
                            w.tick();
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    t.start();
                    threads.add(t);
                }
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream()
                        .allMatch(id -> column("select count(*) from poll where account_id = ?::uuid", id).get(0).equals("1")));
                Thread.sleep(1500); // both replicas keep ticking: nothing is due again within the interval
                running.set(false);
                for (Thread t : threads) {
                    t.join();
                }
            }
            for (String id : ids) {
                assertThat(column("select count(*) from poll where account_id = ?::uuid", id)).containsExactly("1");
                // next poll one interval (60 s ± 10 % jitter) after this one, lease released
                String gap = column("select extract(epoch from a.next_poll_at - p.finished_at) from account a "
                        + "join poll p on p.account_id = a.id where a.id = ?::uuid", id).get(0);
                assertThat(Double.parseDouble(gap)).isBetween(53.9, 66.1);
                assertThat(column("select coalesce(lease_owner, '') from account where id = ?::uuid", id)).containsExactly("");
            }
            List<String> owners = column("select distinct p.owner from poll p join account a on a.id = p.account_id "
                    + "where a.enabled order by 1");
            assertThat(owners).isSubsetOf("replica-a", "replica-b");
            assertThat(server.sessions()).isEqualTo(8);
        }
    }

    @Test
    void an_expired_lease_of_a_crashed_replica_is_taken_over_and_a_live_lease_is_respected() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            String crashed = create(account(unique("crashed"), server.port(), "NONE", "secret", "KEEP", null));
            String busy = create(account(unique("busy"), server.port(), "NONE", "secret", "KEEP", null));
            update("update account set lease_owner = 'dead-replica', lease_until = now() - interval '1 second' where id = ?::uuid",
                    java.util.UUID.fromString(crashed));
            update("update account set lease_owner = 'live-replica', lease_until = now() + interval '5 minutes' where id = ?::uuid",
                    java.util.UUID.fromString(busy));
            try (PollWorker worker = scheduler.newWorker("replica-c")) {
                assertThat(worker.tick()).isEqualTo(1);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> worker.inFlight() == 0);
            }
            assertThat(column("select owner from poll where account_id = ?::uuid", crashed)).containsExactly("replica-c");
            assertThat(column("select count(*) from poll where account_id = ?::uuid", busy)).containsExactly("0");
        }
    }

    @Test
    void polls_against_one_host_are_bounded_per_replica() throws Exception {
        try (ScriptedPop3Server server = ScriptedPop3Server.start()) {
            server.add("slow", "Subject: slow\r\n\r\nbody body body\r\n".getBytes());
            server.stallDuringRetr("slow", 5, 700); // every poll holds its connection ~0.7 s
            for (int i = 0; i < 5; i++) {
                create(account(unique("host-bound"), server.port(), "NONE", "secret", "KEEP", null));
            }
            try (PollWorker worker = scheduler.newWorker("replica-d")) {
                AtomicInteger max = new AtomicInteger();
                long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (System.nanoTime() < end) {
                    worker.tick();
                    max.accumulateAndGet(worker.inFlight(), Math::max);
                    Thread.sleep(10);
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> worker.inFlight() == 0);
                assertThat(max.get()).isEqualTo(2); // fetcher.poll.max-per-host
            }
            assertThat(column("select count(*) from poll p join account a on a.id = p.account_id where a.enabled"))
                    .containsExactly("5");
        }
    }
}
