package io.bolmo.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.engine.Scores;
import io.bolmo.engine.djl.DjlBolmoEngine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Per-byte patch reports ({@link GenerationOptions#reportBoundaries()}) on the golden tiny Bolmo: they change
 * nothing in what is generated, their bytes are the text's, their flags are the fused ids the engine was fed (so the
 * engine's own patch count follows from them) and the prompt's are the predictor's.
 */
class BoundaryReportTest extends GoldenModelTest {

    /** Everything a listener hears. */
    static final class Recorder implements GenerationListener {
        final List<Integer> ids = new ArrayList<>();
        final List<ByteBoundaries> pieces = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        final List<Object> order = new ArrayList<>();
        ByteBoundaries prompt;

        @Override
        public void onStep(int id) {
            ids.add(id);
        }

        @Override
        public void onBoundaries(ByteBoundaries piece) {
            pieces.add(piece);
            order.add(piece);
        }

        @Override
        public void onText(String piece) {
            texts.add(piece);
            order.add(piece);
        }

        @Override
        public void onPromptBoundaries(ByteBoundaries p) {
            prompt = p;
        }

        ByteBoundaries all() {
            return ByteBoundaries.concat(pieces);
        }
    }

    private static final int[] PROMPT = TinyModels.goldenPrompt("tiny-olmo3", "ascii");

    private Recorder run(GenerationOptions options) {
        Recorder r = new Recorder();
        GenerationResult result = new BolmoGenerator(DjlBolmoEngine.over(model), trie).generate(PROMPT, options, r);
        r.texts.add(0, ""); // keep the result's text reachable for the assertions below
        r.texts.set(0, result.text());
        results.add(result);
        return r;
    }

    private final List<GenerationResult> results = new ArrayList<>();

    @Test
    void reportsChangeNothingAndTheirBytesAreTheText() {
        GenerationOptions plain = GenerationOptions.builder().maxNewBytes(120).stopAtEos(false).build();
        Recorder off = run(plain);
        Recorder on = run(plain.mutate().reportBoundaries(true).build());
        assertThat(on.ids).isEqualTo(off.ids);
        assertThat(on.texts.get(0)).isEqualTo(off.texts.get(0));
        assertThat(off.pieces).isEmpty();
        assertThat(off.prompt).isNull();
        byte[] reported = bytes(on.all());
        assertThat(new String(reported, StandardCharsets.UTF_8)).isEqualTo(on.texts.get(0));
        // each report precedes the text piece made of exactly its bytes (a piece is whole UTF-8 code points)
        assertThat(on.order.size() % 2).isZero();
        for (int i = 0; i < on.order.size(); i += 2) {
            assertThat(on.order.get(i)).isInstanceOf(ByteBoundaries.class);
            assertThat(on.order.get(i + 1)).as("the piece after report %d", i / 2)
                    .isEqualTo(new String(bytes((ByteBoundaries) on.order.get(i)), StandardCharsets.UTF_8));
        }
    }

    /**
     * The flag of every byte is the flag of the fused id chosen for it, and the engine ran the global model after
     * exactly the flagged fed ids: the forced decision and every generated id but the last (never fed).
     */
    @Test
    void flagsAreTheFedIdsAndAddUpToTheEnginesPatches() {
        Recorder r = run(GenerationOptions.builder().maxNewBytes(150).reportBoundaries(true).build());
        GenerationResult result = results.get(results.size() - 1);
        assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
        ByteBoundaries all = r.all();
        List<Integer> generated = r.ids.subList(1, r.ids.size());
        assertThat(all.length()).isEqualTo(generated.size());
        for (int i = 0; i < generated.size(); i++) {
            int id = generated.get(i);
            assertThat(all.bytes()[i]).isEqualTo(ByteUnits.plain(id) - BolmoConfig.BYTE_OFFSET);
            assertThat(all.endsPatch()[i]).as("flag of byte %d", i).isEqualTo(id >= BolmoConfig.PLAIN_VOCAB);
            // greedy chose the larger of the byte's two ids, so its flag agrees with P(ends | byte) ≥ ½
            assertThat(all.probability()[i] >= 0.5f).as("probability of byte %d", i).isEqualTo(all.endsPatch()[i]);
        }
        int fedPatches = r.ids.get(0) >= BolmoConfig.PLAIN_VOCAB ? 1 : 0;
        for (int i = 0; i < all.length() - 1; i++) {
            fedPatches += all.endsPatch()[i] ? 1 : 0;
        }
        assertThat(result.patches()).isEqualTo(fedPatches);
        assertThat(all.patchEnds()).as("a random model still ends some patches").isPositive();
    }

    @Test
    void aStopSequenceIsNotReported() {
        GenerationOptions free = GenerationOptions.builder().maxNewBytes(60).stopAtEos(false).build();
        String text = run(free).texts.get(0);
        String stop = text.substring(20, 23);
        Recorder r = run(free.mutate().stop(List.of(stop)).reportBoundaries(true).build());
        assertThat(r.texts.get(0)).isEqualTo(text.substring(0, text.indexOf(stop)));
        assertThat(new String(bytes(r.all()), StandardCharsets.UTF_8)).isEqualTo(r.texts.get(0));
    }

    /** The prompt's report: the predictor's decisions as a whole-sequence pass makes them, the last byte forced. */
    @Test
    void promptPatchesAreThePredictorsAndTheForcedDecision() {
        Recorder r = run(GenerationOptions.builder().maxNewBytes(4).reportBoundaries(true).build());
        ByteBoundaries p = r.prompt;
        assertThat(p.length()).isEqualTo(PROMPT.length - 1);
        Engine engine = DjlBolmoEngine.over(model);
        Scores scores = engine.score(PROMPT, new ByteUnits(trie, GenerationOptions.greedy(1)).prefillRows(PROMPT));
        for (int i = 0; i < p.length(); i++) {
            assertThat(p.bytes()[i]).isEqualTo(PROMPT[i + 1] - BolmoConfig.BYTE_OFFSET);
        }
        for (int i = 0; i < p.length() - 1; i++) {
            assertThat(p.endsPatch()[i]).as("prompt byte %d", i).isEqualTo(scores.boundaries()[i + 1]);
            assertThat((double) p.probability()[i]).isCloseTo(Math.exp(scores.boundaryLogProbs()[i + 1]),
                    within(1e-4));
        }
        assertThat(p.endsPatch()[p.length() - 1]).as("the forced decision")
                .isEqualTo(r.ids.get(0) >= BolmoConfig.PLAIN_VOCAB);
    }

    @Test
    void batchedReportsEqualReportsAlone() throws Exception {
        GenerationOptions a = GenerationOptions.builder().maxNewBytes(90).reportBoundaries(true).build();
        GenerationOptions b = a.mutate().temperature(0.8).seed(11L).maxNewBytes(50).build();
        Recorder aloneA = run(a);
        Recorder aloneB = run(b);
        Recorder batchA = new Recorder();
        Recorder batchB = new Recorder();
        try (BolmoScheduler scheduler = new BolmoScheduler(DjlBolmoEngine.over(model), trie,
                BolmoScheduler.Options.of(2))) {
            CompletableFuture<GenerationResult> fa = scheduler.submit(PROMPT, a, batchA);
            CompletableFuture<GenerationResult> fb = scheduler.submit(PROMPT, b, batchB);
            fa.get();
            fb.get();
        }
        assertThat(batchA.all().bytes()).isEqualTo(aloneA.all().bytes());
        assertThat(batchA.all().endsPatch()).isEqualTo(aloneA.all().endsPatch());
        assertThat(batchB.all().endsPatch()).isEqualTo(aloneB.all().endsPatch());
        assertThat(batchA.prompt.endsPatch()).isEqualTo(aloneA.prompt.endsPatch());
        float[] pa = batchA.all().probability();
        for (int i = 0; i < pa.length; i++) {
            assertThat(pa[i]).isCloseTo(aloneA.all().probability()[i], within(1e-4f));
        }
    }

    private static byte[] bytes(ByteBoundaries b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int x : b.bytes()) {
            out.write(x);
        }
        return out.toByteArray();
    }
}
