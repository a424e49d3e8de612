package io.bolmo.examples.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A fine-tune started, stopped and restarted over REST, with its progress and metrics; while it runs, a second start
 * and its recovery are refused; once it completed, its output is refused to another run.
 */
class StartStopRestartTests extends ServiceTestBase {

    @Test
    void startStopRestartAndReadMetrics() throws Exception {
        HttpResponse<String> started = post("/api/jobs/finetune/executions", finetuneBody("rest-run", 12));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long id = JsonParser.parseString(started.body()).getAsJsonObject().get("id").getAsLong();
        try {
            await(id, e -> step(e) >= 2, 120);
            HttpResponse<String> second = post("/api/jobs/finetune/executions", finetuneBody("rest-run-2", 3));
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(second.body()).contains("is running; one training run at a time");
            // recovering a live run would start a second copy beside it: its output's lock says it is alive
            HttpResponse<String> recover = post("/api/executions/" + id + "/restart?recover=true", "");
            assertThat(recover.statusCode()).as(recover.body()).isEqualTo(409);
            assertThat(recover.body()).contains("is still running: its output").contains("locked by a live process");
            assertThat(execution(id).get("status").getAsString()).isEqualTo("STARTED");

            HttpResponse<String> stop = post("/api/executions/" + id + "/stop", "");
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
            JsonObject stopped = await(id, ServiceTestBase::ended, 120);
            assertThat(stopped.get("status").getAsString()).isEqualTo("STOPPED");
            assertThat(step(stopped)).isLessThan(12);
        } finally {
            stopAndWait(id);
        }
        HttpResponse<String> restarted = post("/api/executions/" + id + "/restart", "");
        assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(202);
        JsonObject r = JsonParser.parseString(restarted.body()).getAsJsonObject();
        long id2 = r.get("id").getAsLong();
        assertThat(id2).isNotEqualTo(id);
        assertThat(r.get("instance").getAsLong()).isEqualTo(execution(id).get("instance").getAsLong());
        JsonObject done = await(id2, ServiceTestBase::ended, 300);
        assertThat(done.get("status").getAsString()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(step(done)).isEqualTo(12);
        assertThat(RUNS.resolve("rest-run/final/config.json")).exists();

        JsonArray metrics = JsonParser.parseString(get("/api/executions/" + id2 + "/metrics").body()).getAsJsonArray();
        JsonObject m = metrics.get(0).getAsJsonObject();
        assertThat(m.getAsJsonArray("train")).hasSize(12);
        assertThat(m.getAsJsonArray("train").get(11).getAsJsonObject().get("bpb").getAsDouble()).isPositive();
        assertThat(m.getAsJsonArray("eval").size()).isGreaterThanOrEqualTo(2);

        HttpResponse<String> list = get("/api/executions");
        assertThat(list.body()).contains("\"id\":" + id2).contains("\"id\":" + id);
        HttpResponse<String> again = post("/api/executions/" + id2 + "/restart", "");
        assertThat(again.statusCode()).isEqualTo(409);
        // the completed run's directory is its own: another run there is refused unless it says overwrite
        byte[] model = java.nio.file.Files.readAllBytes(RUNS.resolve("rest-run/final/model.safetensors"));
        HttpResponse<String> other = post("/api/jobs/finetune/executions", finetuneBody("rest-run", 3));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(400);
        assertThat(other.body()).contains("belongs to another run").contains("steps=12 there, 3 here")
                .contains("overwrite=true");
        assertThat(java.nio.file.Files.readAllBytes(RUNS.resolve("rest-run/final/model.safetensors")))
                .isEqualTo(model);
    }
}
