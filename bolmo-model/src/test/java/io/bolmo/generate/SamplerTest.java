package io.bolmo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The sampler on its own: seeds, and the filters that must reduce to greedy. */
class SamplerTest {

    private static final int[] ALL = IntStream.range(0, 300).toArray();

    private static float[] logits(long seed) {
        Random r = new Random(seed);
        float[] l = new float[ALL.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) r.nextGaussian();
        }
        return l;
    }

    private static int[] draw(GenerationOptions options, int n) {
        Sampler s = new Sampler(options);
        return IntStream.range(0, n).map(i -> s.sample(logits(i), ALL)).toArray();
    }

    private static GenerationOptions.Builder sampling(long seed) {
        return GenerationOptions.builder().temperature(1).seed(seed);
    }

    @Test
    void theSameSeedDrawsTheSameAndAnotherSeedDiffers() {
        assertThat(draw(sampling(1).build(), 50)).isEqualTo(draw(sampling(1).build(), 50))
                .isNotEqualTo(draw(sampling(2).build(), 50));
    }

    @Test
    void topKOneAndATinyTopPAreGreedy() {
        int[] greedy = draw(GenerationOptions.builder().build(), 50);
        assertThat(draw(sampling(3).topK(1).build(), 50)).isEqualTo(greedy);
        assertThat(draw(sampling(3).topP(1e-9).build(), 50)).isEqualTo(greedy);
        assertThat(draw(sampling(3).temperature(1e-6).build(), 50)).isEqualTo(greedy);
    }

    @Test
    void greedyTiesGoToTheLowestCandidateAndOnlyCandidatesAreChosen() {
        float[] l = new float[10];
        l[3] = 5;
        l[7] = 5;
        l[9] = 9;
        assertThat(Sampler.argmax(l, new int[] {7, 3, 1})).isEqualTo(3);
        Sampler s = new Sampler(sampling(5).build());
        assertThat(IntStream.range(0, 100).map(i -> s.sample(l, new int[] {1, 2}))).allMatch(id -> id == 1 || id == 2);
    }
}
