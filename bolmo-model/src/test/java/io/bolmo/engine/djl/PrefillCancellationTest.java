package io.bolmo.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.bolmo.engine.Engine;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.ModelPresets;
import io.bolmo.testing.Golden;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A prefill checks its cancellation between chunks: once told, it stops there (no further chunk runs) with a
 * {@link CancellationException}, and its native memory is freed, over many calls cancelled before every chunk.
 */
class PrefillCancellationTest {

    /** Cancelled when asked for the {@code at}-th time; counts every question. */
    private static final class CancelAt implements BooleanSupplier {
        final int at;
        final AtomicInteger asked = new AtomicInteger();

        CancelAt(int at) {
            this.at = at;
        }

        @Override
        public boolean getAsBoolean() {
            return asked.incrementAndGet() >= at;
        }
    }

    @Test
    void aBolmoPrefillStopsAtTheChunkWhereItIsCancelledAndLeavesNoArrays() {
        SubwordSuffixTrie trie = SubwordSuffixTrie.build(SubwordVocabulary.load(
                Golden.root().resolve("subword_vocab.json")));
        int[] ids = Golden.ints(Golden.texts("tiny-olmo3").stream()
                .filter(t -> t.get("id").getAsString().equals("python_code")).findFirst().orElseThrow(), "input_ids");
        int[] rows = SubwordSuffixTrie.embeddingRows(trie, ids);
        int chunk = 16;
        int chunks = (ids.length - 1 + chunk - 1) / chunk;
        assertThat(chunks).as("chunks of the prompt").isEqualTo(5);
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                BolmoModel model = Golden.loadModel(manager, "tiny-olmo3")) {
            Engine engine = DjlBolmoEngine.over(model, chunk);
            engine.prefill(ids, rows, () -> false).close(); // warm-up: one-off allocations before counting
            int live = manager.getManagedArrays().size();

            CancelAt third = new CancelAt(3);
            assertThatThrownBy(() -> engine.prefill(ids, rows, third)).isInstanceOf(CancellationException.class)
                    .hasMessage("prefill cancelled after " + 2 * chunk + " of " + (ids.length - 1) + " bytes");
            assertThat(third.asked).as("questions: one before each chunk, none after the answer").hasValue(3);

            CancelAt never = new CancelAt(Integer.MAX_VALUE);
            engine.prefill(ids, rows, never).close();
            assertThat(never.asked).as("asked before every chunk").hasValue(chunks);

            for (int call = 0; call < 3 * (chunks + 2); call++) { // cancelled before each chunk, three times
                CancelAt at = new CancelAt(1 + call % (chunks + 2)); // before any chunk … never
                try {
                    engine.prefill(ids, rows, at).close();
                    assertThat(call % (chunks + 2)).as("only the calls never cancelled finish").isGreaterThanOrEqualTo(chunks);
                } catch (CancellationException e) {
                    assertThat(at.asked).hasValue(at.at);
                }
            }
            assertThat(manager.getManagedArrays()).as("live arrays after all the calls").hasSize(live);
        }
    }

    @Test
    void aSubwordPrefillStopsTooAndLeavesNoArrays() {
        BolmoConfig bolmo = BolmoConfig.load(Golden.modelDir("tiny-olmo3").resolve("config.json"));
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                OlmoModel model = OlmoModel.create(ModelPresets.sourceModelOf(bolmo),
                        Weights.from(manager, new RandomWeights(7)))) {
            Engine engine = DjlOlmoEngine.over(model, 4);
            int[] tokens = new int[24];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = 100 + 7 * i;
            }
            engine.prefill(tokens, null, () -> false).close();
            int live = manager.getManagedArrays().size();
            for (int call = 0; call < 18; call++) {
                CancelAt at = new CancelAt(1 + call % 6);
                assertThatThrownBy(() -> engine.prefill(tokens, null, at)).isInstanceOf(CancellationException.class)
                        .hasMessageContaining("prefill cancelled after " + 4 * (call % 6) + " of 24 tokens");
                assertThat(at.asked).hasValue(at.at);
            }
            assertThat(manager.getManagedArrays()).hasSize(live);
        }
    }
}
