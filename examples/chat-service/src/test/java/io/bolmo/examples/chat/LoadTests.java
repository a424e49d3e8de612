package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** 64 simultaneous requests against a bulkhead of 4: only 200 or 429, never a 5xx, and the service recovers. */
class LoadTests extends ServiceTestBase {

    @Test
    void sixtyFourConcurrentRequestsGet200Or429AndServiceRecovers() throws Exception {
        int n = 64;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                boolean stream = i % 2 == 1;
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        HttpRequest request = stream
                                ? HttpRequest.newBuilder(uri("/chat/stream?message=Hello&maxTokens=64")).GET()
                                        .timeout(Duration.ofSeconds(60)).build()
                                : HttpRequest.newBuilder(uri("/chat")).timeout(Duration.ofSeconds(60))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"message\":\"Hello\",\"maxTokens\":64}"))
                                        .build();
                        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            go.countDown();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (CompletableFuture<Integer> c : calls) {
                byStatus.merge(c.get(), 1, Integer::sum);
            }
            assertThat(byStatus.keySet()).as("statuses %s", byStatus).isSubsetOf(200, 429);
            assertThat(byStatus.getOrDefault(200, 0)).as("statuses %s", byStatus).isGreaterThanOrEqualTo(4);
            assertThat(byStatus.getOrDefault(429, 0)).as("statuses %s", byStatus).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(postJson("/chat", "{\"message\":\"Still there?\",\"maxTokens\":8}").statusCode()).isEqualTo(200);
        assertThat(get("/chat/stream?message=Hi&maxTokens=8").statusCode()).isEqualTo(200);
    }
}
