package io.bolmo.train.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import io.bolmo.Bolmo;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.data.ChatSetGenerator;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.data.DataFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chat fine-tune on a tiny model: held-out evaluation, the best model, exact resume, frozen global blocks. */
class FinetuneRunTest {

    @TempDir
    static Path dir;
    static Path model;
    static Path chats;

    @BeforeAll
    static void fixture() throws Exception {
        model = TinyBolmo.write(dir.resolve("model"));
        Path corpus = dir.resolve("corpus.txt");
        String sample = io.bolmo.bench.BenchResources.sampleText();
        Files.writeString(corpus, sample.replace("\n\n", "\n"));
        chats = dir.resolve("chats.jsonl");
        try (Corpus c = Corpus.open(corpus, CorpusOptions.DEFAULT)) {
            ChatSetGenerator.write(chats, ChatSetGenerator.generate(c, ChatSetGenerator.Options.defaults(60, 1)));
        }
    }

    static FinetuneParameters params(String out, boolean freeze) {
        return new FinetuneParameters(model, null, List.of(chats), DataFormat.CHAT, dir.resolve(out), 3, 2, 192, 96,
                3e-3, 0.5, freeze, 7, 5, 1);
    }

    @Test
    void theGeneratedSetIsValidChatDataInTheAnswerFormat() throws Exception {
        assertThat(FinetuneRun.checkData(params("x", false))).startsWith("60 conversations (");
        List<String> lines = Files.readAllLines(chats);
        assertThat(lines).hasSize(60).allSatisfy(l -> assertThat(l).contains("\"role\":\"assistant\",\"content\":\"Answer: "));
    }

    @Test
    void resumingFromACheckpointEndsExactlyLikeTheStraightRunAndKeepsTheBest() {
        Map<String, float[]> straight;
        double bestLoss;
        try (FinetuneRun run = FinetuneRun.start(params("straight", false))) {
            HeldOutMetrics before = run.evaluate().orElseThrow();
            assertThat(before.step()).isZero();
            while (!run.finished()) {
                run.step();
            }
            HeldOutMetrics after = run.evaluate().orElseThrow();
            assertThat(after.loss()).isFinite();
            assertThat(after.bitsPerByte()).isPositive();
            straight = snapshot(run);
            bestLoss = run.bestLoss();
            assertThat(bestLoss).isEqualTo(Math.min(before.loss(), after.loss()));
            assertThat(run.bestDir().resolve(FinetuneRun.BEST_FILE)).exists();
            run.exportFinal(run.output().resolve("final"));
        }
        Path checkpoint;
        try (FinetuneRun run = FinetuneRun.start(params("resumed", false))) {
            run.evaluate();
            run.step();
            checkpoint = run.saveCheckpoint();
            run.step(); // lost, as in a crash
        }
        try (FinetuneRun run = FinetuneRun.resume(checkpoint, params("resumed", false))) {
            assertThat(run.stepCount()).isEqualTo(1);
            while (!run.finished()) {
                run.step();
            }
            run.evaluate();
            Map<String, float[]> resumed = snapshot(run);
            assertThat(resumed.keySet()).isEqualTo(straight.keySet());
            straight.forEach((k, v) -> assertThat(resumed.get(k)).as(k).containsExactly(v));
            assertThat(run.bestLoss()).isEqualTo(bestLoss);
        }
        assertThatThrownBy(() -> FinetuneRun.resume(checkpoint, params("resumed", true)))
                .hasMessageContaining("freeze-global = false but this run has freeze-global = true");
        try (Bolmo bolmo = Bolmo.load(dir.resolve("straight/final"))) {
            assertThat(bolmo.generate("Answer", GenerationOptions.greedy(4), new GenerationListener() { })
                    .generatedUnits()).isPositive();
        }
    }

    @Test
    void freezingTheGlobalModelTrainsOnlyTheLocalModels() {
        try (FinetuneRun run = FinetuneRun.start(params("frozen", true))) {
            Map<String, float[]> before = snapshot(run);
            run.step();
            Map<String, float[]> after = snapshot(run);
            before.forEach((k, v) -> {
                boolean changed = !java.util.Arrays.equals(v, after.get(k));
                if (k.startsWith("model.layers.")) {
                    assertThat(changed).as(k + " (global block) must not change").isFalse();
                }
            });
            assertThat(before.keySet()).anySatisfy(k -> assertThat(k).startsWith("model.local_decoder"));
            assertThat(before.keySet().stream().filter(k -> !k.startsWith("model.layers."))
                    .anyMatch(k -> !java.util.Arrays.equals(before.get(k), after.get(k)))).isTrue();
        }
    }

    static Map<String, float[]> snapshot(FinetuneRun run) {
        Map<String, float[]> out = new HashMap<>();
        for (Map.Entry<String, NDArray> e : run.student().weights().all().entrySet()) {
            out.put(e.getKey(), e.getValue().toFloatArray());
        }
        return out;
    }
}
