package io.bolmo.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.WeightFormat;
import io.bolmo.generate.BolmoGenerator;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.testing.Golden;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java engine keeps no memory of finished generations: over 10,000 decoded bytes in many calls the live Java
 * heap (after collection), the native buffers (direct and mapped) and the thread count stay where they were after
 * the first call. Within a sequence only the KV cache grows, by whole pages.
 */
class VectorMemoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"q8_0", "q4_0"})
    void tenThousandBytesOverManyCallsLeaveNothingBehind(String dtype) {
        int[] prompt = Golden.ints(Golden.texts("tiny-olmo3").get(1), "input_ids");
        SubwordSuffixTrie trie = SubwordSuffixTrie.build(SubwordVocabulary.load(Golden.root().resolve("subword_vocab.json")));
        try (HfCheckpoint c = HfCheckpoint.open(Golden.modelDir("tiny-olmo3"));
                VectorBolmoEngine engine = VectorEngines.bolmo(c, c.bolmoConfig(), LoadOptions.defaults()
                        .withDtype(WeightFormat.parse(dtype)).withThreads(2))) {
            BolmoGenerator generator = new BolmoGenerator(engine, trie);
            generator.generate(prompt, GenerationOptions.greedy(500), GenerationListener.NONE);
            long heap = liveHeap();
            long buffers = nativeBuffers();
            int threads = Thread.activeCount();
            int bytes = 0;
            for (int call = 0; bytes < 10_000; call++) {
                GenerationOptions.Builder b = GenerationOptions.builder().maxNewBytes(500).stopAtEos(false);
                if (call % 2 == 1) {
                    b.temperature(1).topK(50).seed((long) call);
                }
                GenerationResult r = generator.generate(prompt, b.build(), GenerationListener.NONE);
                bytes += r.generatedUnits();
            }
            assertThat(bytes).isGreaterThanOrEqualTo(10_000);
            assertThat(liveHeap()).isLessThan(heap + (2L << 20));
            // Other tests' buffers may still be released by the collector meanwhile, so only growth is a leak.
            assertThat(nativeBuffers()).isLessThanOrEqualTo(buffers);
            assertThat(Thread.activeCount()).isLessThanOrEqualTo(threads);
        }
    }

    private static long liveHeap() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static long nativeBuffers() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
