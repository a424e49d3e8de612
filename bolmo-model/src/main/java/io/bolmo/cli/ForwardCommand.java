package io.bolmo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.bolmo.Bolmo;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.nn.BolmoModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bolmo forward}: one whole-sequence pass over a text, written as safetensors with the arrays of the
 * golden reference (golden README §3, §8; batch dimension dropped): {@code input_ids}, {@code expanded_subword_ids},
 * {@code boundary_mask} (I32 [L]), {@code enc_h} [L, d], {@code boundary_logprobs} [L], {@code logits} [L, 640]
 * (F32). The file is written atomically.
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
        model.check();
        try (Bolmo bolmo = Bolmo.load(model.model,
                Bolmo.Options.defaults().withDevice(model.device).withTokenizer(model.tokenizer))) {
            int[] ids = bolmo.tokenizer().encode(text);
            write(bolmo.model(), ids, bolmo.subwordIds(ids));
        }
        return 0;
    }

    private void write(BolmoModel bolmo, int[] ids, int[] sub) {
        try (NDManager scope = bolmo.weights().manager().newSubManager()) {
            Shape row = new Shape(1, ids.length);
            try (BolmoModel.Output o = bolmo.forward(scope.create(ids, row), scope.create(sub, row))) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                tensors.put("input_ids", scope.create(ids));
                tensors.put("expanded_subword_ids", scope.create(sub));
                tensors.put("boundary_mask", o.boundaryMask().squeeze(0).toType(DataType.INT32, false));
                tensors.put("enc_h", o.encoderStates().squeeze(0));
                tensors.put("boundary_logprobs", o.boundaryLogProbs().squeeze(0));
                tensors.put("logits", o.logits().squeeze(0));
                SafetensorsWriter.create().metadata("text", text).writeFile(out, tensors);
            }
        }
    }
}
