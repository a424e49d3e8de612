package io.bolmo.generate.constraint;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;

/** Outputs drawn from a constraint alone: every step a uniformly random allowed byte, or the end where allowed. */
final class RandomWalk {

    private RandomWalk() {}

    /**
     * One output within {@code budget} bytes; where the constraint allows ending, the walk ends with probability
     * {@code endChance}. Fails (IllegalStateException) when a step allows nothing although the output cannot end.
     */
    static byte[] draw(ByteConstraint c, int budget, long seed, double endChance) {
        return draw(c, budget, seed, endChance, "");
    }

    /** As above, after {@code prefix} (which the constraint must allow). */
    static byte[] draw(ByteConstraint c, int budget, long seed, double endChance, String prefix) {
        SplittableRandom random = new SplittableRandom(seed);
        ConstraintMatcher m = c.matcher(budget, List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            m.advance(b & 0xFF);
            out.write(b);
        }
        while (!m.isComplete()) {
            if (m.mayEnd() && random.nextDouble() < endChance) {
                break;
            }
            int[] allowed = allowed(m);
            if (allowed.length == 0) {
                throw new IllegalStateException("dead end after " + out);
            }
            int b = allowed[random.nextInt(allowed.length)];
            m.advance(b);
            out.write(b);
        }
        if (!m.mayEnd()) {
            throw new IllegalStateException("ended without a complete match: " + out);
        }
        return out.toByteArray();
    }

    static int[] allowed(ConstraintMatcher m) {
        int n = 0;
        int[] tmp = new int[256];
        for (int b = 0; b < 256; b++) {
            if (m.allows(b)) {
                tmp[n++] = b;
            }
        }
        return java.util.Arrays.copyOf(tmp, n);
    }
}
