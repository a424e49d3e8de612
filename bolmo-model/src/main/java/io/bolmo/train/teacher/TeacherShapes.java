package io.bolmo.train.teacher;

import io.bolmo.config.AttentionType;
import io.bolmo.config.OlmoConfig;
import java.util.ArrayList;
import java.util.List;

/** Olmo 3 style shapes for a teacher small enough to pretrain on a CPU. */
public final class TeacherShapes {

    /** cl100k-8192: 8,192 ranks + {@code <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}, {@code <|pad|>}. */
    public static final int VOCAB = 8196;
    public static final int EOS = 8192;
    public static final int PAD = 8195;

    private TeacherShapes() {}

    /**
     * An {@code olmo3} stack: MHA with head dim {@code hidden / heads}, SwiGLU {@code intermediate}, RoPE θ 500 000,
     * norm eps 1e-6, and Olmo 3's layer pattern (three sliding-window layers then a full one, the last layer always
     * full) with window {@code window}.
     */
    public static OlmoConfig olmo3(int vocab, int hidden, int intermediate, int layers, int heads, int window) {
        if (heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException("heads = " + heads + " must divide hidden = " + hidden);
        }
        List<AttentionType> types = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            boolean sliding = (i + 1) % 4 != 0 && i != layers - 1;
            types.add(sliding ? AttentionType.SLIDING_ATTENTION : AttentionType.FULL_ATTENTION);
        }
        return new OlmoConfig("olmo3", vocab, hidden, intermediate, layers, heads, heads, hidden / heads, 1e-6,
                500_000, types, window, false, null, EOS, PAD);
    }

    /**
     * The default teacher: d 128, 4 layers (S S S F), 4 heads of 32, window 64, FFN 512, vocabulary 8196; 3.15 M
     * parameters (2.1 M of them the embedding and LM head), 6.3 MB as bf16.
     */
    public static OlmoConfig defaultTeacher() {
        return olmo3(VOCAB, 128, 512, 4, 4, 64);
    }
}
