package io.popbridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.popbridge.stack.demo.ExchangeStandIn.ReceivedMail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fetcher's message trace ({@code GET /api/v1/messages/{pbid}}) for a message that went all the way. */
@StackTest
class MessageTraceTest {

    @Test
    void shows_fetched_routed_delivered_and_deleted_with_times_and_the_smtp_reply_of_exchange() {
        StackConfig.Mailbox mailbox = StackConfig.oneToOneMailbox("trace");
        String login = mailbox.login();
        String target = mailbox.target();
        Stack.isp().deliver(login, "From: <sender@partner.example>\r\nSubject: traced\r\nMessage-ID: <" + login
                + "@e2e.test>\r\n\r\nfollow me\r\n");
        String account = mailbox.createSingleAccount();
        ReceivedMail mail = await().atMost(Polls.DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> Stack.exchange().receivedFor(target), list -> !list.isEmpty()).get(0);
        Polls.awaitIspEmpty(account, login);
        String pbid = Mails.pbid(mail);
        String queued = "queued as " + Integer.parseInt(mail.files().get(0).getFileName().toString().replace(".eml", ""));

        JsonNode view = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> Stack.fetcher().get("/api/v1/messages/" + pbid).expect(200).json(),
                        json -> types(json).contains("DELETED"));

        assertThat(view.path("message").path("pbid").asText()).isEqualTo(pbid);
        assertThat(view.path("message").path("accountId").asText()).isEqualTo(account);
        assertThat(view.path("message").path("status").asText()).isEqualTo("DELETED");
        assertThat(types(view)).as("trace of %s: %s", pbid, view).containsExactly("FETCHED", "ROUTED", "DELIVERED", "DELETED");
        List<Instant> times = new ArrayList<>();
        view.path("trace").forEach(step -> times.add(Instant.parse(step.path("at").asText())));
        assertThat(times).as("step times").isSorted();
        JsonNode routed = step(view, "ROUTED");
        assertThat(routed.path("recipients").findValuesAsText("address")).containsExactly(target);
        JsonNode delivered = step(view, "DELIVERED");
        assertThat(delivered.path("recipient").asText()).isEqualTo(target);
        assertThat(delivered.path("smtpReply").asText()).as("Exchange's reply to DATA").startsWith("250").contains(queued);
    }

    private static List<String> types(JsonNode view) {
        List<String> types = new ArrayList<>();
        view.path("trace").forEach(step -> types.add(step.path("type").asText()));
        return types;
    }

    private static JsonNode step(JsonNode view, String type) {
        for (JsonNode step : view.path("trace")) {
            if (step.path("type").asText().equals(type)) {
                return step;
            }
        }
        throw new AssertionError("no " + type + " step in " + view);
    }
}
