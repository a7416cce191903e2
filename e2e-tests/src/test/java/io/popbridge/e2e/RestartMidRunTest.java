package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.popbridge.stack.demo.ExchangeStandIn.ReceivedMail;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A service stopped and started while mail flows: every message arrives, and only once. */
@StackTest
class RestartMidRunTest {
    private static final int MESSAGES = 20;

    @Test
    void a_router_restarted_mid_run_loses_and_duplicates_nothing() {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox("restart");
        String login = mailbox.login();
        String target = mailbox.target();
        List<String> ids = IntStream.rangeClosed(1, MESSAGES).mapToObj(n -> "<" + login + "-" + n + "@e2e.test>").toList();
        ids.forEach(id -> Stack.isp().deliver(login, "Subject: restart\r\nMessage-ID: " + id + "\r\n\r\nbody " + id + "\r\n"));

        mailbox.createSingleAccount();
        Stack.restart("router");

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Stack.exchange().receivedFor(target).size() >= MESSAGES);
        Map<String, Long> copies = Stack.exchange().receivedFor(target).stream()
                .map(RestartMidRunTest::messageId)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(copies).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    }

    private static String messageId(ReceivedMail mail) {
        return mail.text().lines().filter(line -> line.startsWith("Message-ID: ")).findFirst()
                .map(line -> line.substring("Message-ID: ".length())).orElse("?");
    }
}
