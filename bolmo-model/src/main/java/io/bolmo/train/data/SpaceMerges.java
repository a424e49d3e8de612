package io.bolmo.train.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The {@code space} kind of model.md §4.5: a random interpolation between the subword boundaries and
 * whitespace-delimited boundaries ({@code strict_end_before_space}: a patch ends only right before a whitespace byte).
 * The boundaries that subword tokenization has and the whitespace segmentation does not, those whose next patch does
 * not start with a space, tab, newline or carriage return, are removed in a random order seeded from the row ({@link
 * PatchRow#seed}); the whole order leads to one patch per whitespace-delimited word (with its leading whitespace).
 */
public final class SpaceMerges {

    private SpaceMerges() {
    }

    static MergeOrder order(PatchRow row, long seed) {
        int[] inside = new int[row.patches()];
        int count = 0;
        for (int k = 0; k < row.patches(); k++) {
            if (row.mergeable(k) && !isSpace(row.firstByte(k + 1))) {
                inside[count++] = k;
            }
        }
        int[] order = Arrays.copyOf(inside, count);
        SplittableRandom random = new SplittableRandom(row.seed(seed));
        for (int i = count - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new MergeOrder(order);
    }

    static boolean isSpace(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
