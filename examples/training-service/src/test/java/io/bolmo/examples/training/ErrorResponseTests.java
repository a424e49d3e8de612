package io.bolmo.examples.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Bad requests are 4xx with a message in the user's terms, never a 500, and no error body names the service's code
 * (classes and methods stay in the log).
 */
class ErrorResponseTests extends ServiceTestBase {

    /** A qualified class name ({@code io.bolmo.X}, {@code java.lang.X}) or a stack frame. */
    private static final String CODE =
            "(?s).*(([a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*|\\bat [a-z][\\w.$]*\\(\\w+\\.java:\\d+\\)).*";

    @Test
    void unknownOrMalformedExecutionIdsAreNotFoundOrBad() throws Exception {
        assertError(get("/api/executions/-1"), 404, "execution -1 does not exist");
        assertError(get("/api/executions/987654321"), 404, "execution 987654321 does not exist");
        assertError(post("/api/executions/987654321/stop", ""), 404, "execution 987654321 does not exist");
        assertError(post("/api/executions/-5/restart?recover=true", ""), 404, "execution -5 does not exist");
        assertError(get("/api/executions/abc"), 400, "'id' is invalid: an execution id is a positive whole number");
        assertError(get("/api/executions/0/metrics"), 404, "execution 0 does not exist");
    }

    @Test
    void sizesBeyondTheirBoundsFailValidationNamingTheBound() throws Exception {
        assertError(post("/api/jobs/finetune/executions", finetuneBody("huge", 2).replace("\"seq-len\":192",
                "\"seq-len\":2000000000")), 400, "seq-len = 2000000000 is invalid: must be in [3, 1048576]");
        assertError(post("/api/jobs/finetune/executions", finetuneBody("wide", 2).replace("\"batch-size\":1",
                "\"batch-size\":60000").replace("\"seq-len\":192", "\"seq-len\":1000000")), 400,
                "batch-size × seq-len = 60000000000 positions per step; at most 33554432");
        assertError(post("/api/jobs/pretrain/executions", "{\"output\":\"p-huge\",\"hidden\":1000000}"), 400,
                "job parameter 'hidden' = '1000000' is invalid: must be in [1, 65536]");
        assertError(post("/api/jobs/byteify/executions", "{\"teacher\":\"model\",\"corpus\":\"chats.jsonl\","
                + "\"output\":\"b-huge\",\"decoder-layers\":\"100000\"}"), 400,
                "decoder-layers = 100000 is invalid: must be in [1, 256]");
    }

    @Test
    void longNamesTheRootItselfAndWrongBodiesAreBadRequests() throws Exception {
        String longName = "x".repeat(5000);
        HttpResponse<String> r = post("/api/jobs/finetune/executions", finetuneBody(longName, 2));
        assertError(r, 400, "job parameter 'output' is invalid: the path is longer than 4096 bytes");
        assertThat(r.body()).doesNotContain(longName.substring(0, 300));
        assertError(post("/api/jobs/finetune/executions", finetuneBody("y".repeat(300), 2)), 400,
                "a name in the path is longer than 255 bytes");
        assertError(post("/api/jobs/finetune/executions", finetuneBody(".", 2)), 400,
                "is the output root " + RUNS.toRealPath() + " itself");
        assertError(post("/api/jobs/finetune/executions", "[1, 2]"), 400, "is invalid");
        assertError(post("/api/jobs/finetune/executions", "{\"steps\": {\"a\": 1}}"), 400,
                "parameter 'steps' must be a string, number or boolean");
        assertError(post("/api/jobs/" + "j".repeat(3000) + "/executions", "{}"), 404, "is unknown");
    }

    private static void assertError(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains(message);
        assertThat(r.body()).as("no code names in the body").doesNotMatch(CODE);
    }
}
