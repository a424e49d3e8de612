package io.bolmo.examples.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Stopping a sweep over REST stops the run it has in progress at its next chunk, instead of letting that run train
 * to its end first, and starts no further run.
 */
class SweepStopTests extends ServiceTestBase {

    private static final int STEPS = 400;

    @Test
    void stoppingASweepStopsItsRunningRun() throws Exception {
        Path grid = DATA.resolve("stop-grid.json");
        Files.writeString(grid, """
                {"job": "finetune",
                 "parameters": {"model": "%1$s/model", "data": "%1$s/chats.jsonl", "format": "chat",
                                "steps": "%2$d", "chunk-size": "1", "batch-size": "1", "seq-len": "192",
                                "max-patches": "96", "held-out-every": "5", "eval-batches": "1"},
                 "grid": {"lr": ["3e-3", "1e-3"]},
                 "eval": {"corpus": "%1$s/corpus.txt", "held-out-every": "1", "max-docs": "1", "tasks": "0",
                          "window-bytes": "512", "window-tokens": "256"}}
                """.formatted(DATA, STEPS));
        HttpResponse<String> started = post("/api/jobs/sweep/executions",
                "{\"grid\":\"stop-grid.json\",\"output\":\"sweep-stop\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long sweep = JsonParser.parseString(started.body()).getAsJsonObject().get("id").getAsLong();
        long run;
        try {
            run = awaitRunTraining(sweep);
            HttpResponse<String> stop = post("/api/executions/" + sweep + "/stop", "");
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
            JsonObject stopped = await(sweep, ServiceTestBase::ended, 120);
            assertThat(stopped.get("status").getAsString()).as(stopped.toString()).isEqualTo("STOPPED");
        } finally {
            stopAndWait(sweep);
        }
        JsonObject r = await(run, ServiceTestBase::ended, 120);
        assertThat(r.get("status").getAsString()).as(r.toString()).isEqualTo("STOPPED");
        assertThat(step(r)).isLessThan(STEPS);
        assertThat(finetunes()).as("no run started after the stop").hasSize(1);
        Path runs = RUNS.resolve("sweep-stop/runs");
        assertThat(runs.resolve("run-000/final")).doesNotExist();
        assertThat(runs.resolve("run-000/checkpoints")).isNotEmptyDirectory();
        assertThat(runs.resolve("run-001/checkpoints")).doesNotExist();

        // restarted, the sweep continues the stopped run (a new execution of the same run) past where it stopped
        long stoppedAt = step(r);
        HttpResponse<String> restarted = post("/api/executions/" + sweep + "/restart", "");
        assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(202);
        long sweep2 = JsonParser.parseString(restarted.body()).getAsJsonObject().get("id").getAsLong();
        try {
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (finetunes().size() < 2 || step(finetunes().get(0)) <= stoppedAt) {
                assertThat(ended(execution(sweep2))).as("the restarted sweep ended early").isFalse();
                assertThat(System.nanoTime()).as("timed out waiting for the continued run").isLessThan(deadline);
                Thread.sleep(100);
            }
            JsonObject continued = finetunes().get(0);
            assertThat(continued.get("instance").getAsLong()).isEqualTo(r.get("instance").getAsLong());
            assertThat(continued.getAsJsonObject("parameters").get("output").getAsString()).endsWith("run-000");
        } finally {
            stopAndWait(sweep2);
        }
        assertThat(execution(sweep2).get("status").getAsString()).isEqualTo("STOPPED");
    }

    /** Waits until the sweep's first run has trained a step, and returns its execution id. */
    private long awaitRunTraining(long sweep) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (true) {
            assertThat(ended(execution(sweep))).as("the sweep ended before its run trained").isFalse();
            Optional<JsonObject> run = finetunes().stream().findFirst();
            if (run.isPresent() && step(run.get()) >= 1) {
                return run.get().get("id").getAsLong();
            }
            assertThat(System.nanoTime()).as("timed out waiting for the sweep's run").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private java.util.List<JsonObject> finetunes() throws Exception {
        JsonArray all = JsonParser.parseString(get("/api/executions").body()).getAsJsonObject()
                .getAsJsonArray("executions");
        java.util.List<JsonObject> out = new java.util.ArrayList<>();
        for (JsonElement e : all) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("job").getAsString().equals("finetune")
                    && o.getAsJsonObject("parameters").get("output").getAsString().contains("sweep-stop")) {
                out.add(o);
            }
        }
        return out;
    }
}
