package io.bolmo.engine;

import io.bolmo.config.BolmoConfig;

/** The rule for a Bolmo prompt, checked by every engine and by generation before it queues one. */
public final class Prompts {

    private Prompts() {}

    /** A Bolmo prompt is plain byte ids (0 ≤ id &lt; 260, the boundary flag is the model's) with BOS first. */
    public static void checkBytes(int[] ids) {
        if (ids == null || ids.length == 0 || ids[0] != BolmoConfig.BOS_ID) {
            throw new IllegalArgumentException("a prompt must start with BOS (id 1), got "
                    + (ids == null || ids.length == 0 ? "no ids" : "id " + ids[0]));
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= BolmoConfig.PLAIN_VOCAB) {
                throw new IllegalArgumentException("prompt id " + ids[i] + " at position " + i + " is not a plain"
                        + " byte id: allowed [0, " + BolmoConfig.PLAIN_VOCAB + ")");
            }
        }
    }
}
