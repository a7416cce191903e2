package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.popbridge.contract.Topics;
import io.popbridge.stack.demo.ExchangeStandIn.ReceivedMail;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** Byte-exact means trailing whitespace too; on failure, says at which hop the bytes changed. */
@StackTest
class WhitespaceFindingTest {
    private static final String LINE = "trailing spaces and a tab \t \r\n";

    @Test
    @Disabled("finding 2026-11-22: the record on popbridge.fetched.v1 lacks the line's trailing whitespace although "
            + "GreenMail's RETR sends it (checked on the wire); enable when the fetcher keeps RETR bytes unchanged")
    void keeps_trailing_whitespace_of_body_lines_on_every_hop() {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox("whitespace");
        String login = mailbox.login();
        String target = mailbox.target();
        Stack.isp().deliver(login, "Subject: ws\r\nMessage-ID: <" + login + "@e2e.test>\r\n\r\n" + LINE);
        String account = mailbox.createSingleAccount();
        Stack.fetcher().post("/api/v1/accounts/" + account + "/poll", null);

        ReceivedMail mail = await().atMost(Duration.ofSeconds(120))
                .until(() -> Stack.exchange().receivedFor(target), list -> !list.isEmpty()).get(0);

        String fetched = recordContaining(Topics.FETCHED, login);
        String routed = recordContaining(Topics.ROUTED, login);
        assertThat(fetched).as("popbridge.fetched.v1 (fetcher)").contains(LINE);
        assertThat(routed).as("popbridge.routed.v1 (router)").contains(LINE);
        assertThat(mail.text()).as("SMTP DATA (delivery)").contains(LINE);
    }

    private static String recordContaining(String topic, String marker) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.stack().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, Stack.unique("e2e-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 53477376);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    if (value.contains(marker)) {
                        return value;
                    }
                    seen.add(record.key());
                }
            }
            throw new AssertionError("no record with " + marker + " on " + topic + " (saw " + seen.size() + ")");
        }
    }
}
