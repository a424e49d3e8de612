package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.spring.ai.BolmoChatModel;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** A generation longer than the time limit is stopped and answered with 503; the slot is free afterwards. */
@TestPropertySource(properties = "resilience4j.timelimiter.instances.bolmo.timeout-duration=40ms")
class TimeoutTests extends ServiceTestBase {

    @Autowired
    BolmoChatModel model;

    @Test
    void timeoutIs503() throws Exception {
        // 2048 greedy bytes of the tiny model take far longer than 40 ms
        HttpResponse<String> r = postJson("/chat", "{\"message\":\"Tell a long story\",\"maxTokens\":2048}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.body()).contains("time limit");
        HttpResponse<String> s = get("/chat/stream?message=Tell%20a%20long%20story&maxTokens=2048");
        assertThat(s.statusCode()).isIn(200, 503);
        if (s.statusCode() == 200) {
            assertThat(s.body()).contains("event:error", "time limit");
        }
        // the reply comes at the limit; the slot follows once the engine has stopped, within a step
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> model.activeGenerations() == 0);
    }

    /** The limit counts from admission, so a long prompt's prefill does not delay the 503. */
    @Test
    void theTimeoutCoversThePrefill() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = postJson("/chat", "{\"message\":\"" + "The Parliament. ".repeat(250) + "\"}");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
        // without chunked prefill the model finishes prefilling the 4,000 bytes before it sees the stop
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> model.activeGenerations() == 0);
    }
}
