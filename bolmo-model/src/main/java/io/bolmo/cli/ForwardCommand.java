package io.bolmo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.Bolmo;
import io.bolmo.engine.Scores;
import io.bolmo.io.SafetensorsWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bolmo forward}: one whole-sequence pass over a text ({@link io.bolmo.engine.Engine#score}), written as
 * safetensors with the arrays of the golden reference (model.md §2, §13.2; batch dimension dropped):
 * {@code input_ids}, {@code expanded_subword_ids}, {@code boundary_mask} (I32 [L]), {@code enc_h} [L, d],
 * {@code boundary_logprobs} [L], {@code logits} [L, V] (F32). The file is written atomically.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run the model over a text and write its ids, boundaries, encoder states and logits.")
final class ForwardCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--text", paramLabel = "TEXT", required = true, description = "The input text (BOS is added).")
    String text;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output .safetensors file.")
    Path out;

    @Override
    public Integer call() {
        try (Bolmo bolmo = model.load()) {
            int[] ids = bolmo.tokenizer().encode(text);
            int[] sub = bolmo.subwordIds(ids);
            write(bolmo.engine().score(ids, sub), ids, sub);
        }
        return 0;
    }

    /** The arrays go through DJL only to be written (host arrays in, safetensors out). */
    private void write(Scores s, int[] ids, int[] sub) {
        int l = s.length();
        int[] mask = new int[l];
        for (int t = 0; t < l; t++) {
            mask[t] = s.boundaries()[t] ? 1 : 0;
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("input_ids", m.create(ids));
            tensors.put("expanded_subword_ids", m.create(sub));
            tensors.put("boundary_mask", m.create(mask));
            tensors.put("enc_h", m.create(s.encoderStates(), new Shape(l, s.width())));
            tensors.put("boundary_logprobs", m.create(s.boundaryLogProbs()));
            tensors.put("logits", m.create(s.logits(), new Shape(l, s.vocab())));
            SafetensorsWriter.create().metadata("text", text).writeFile(out, tensors);
        }
    }
}
