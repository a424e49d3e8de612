package io.bolmo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.bolmo.Bolmo;
import io.bolmo.config.BolmoConfig;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
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
        try (NDManager manager = NDManager.newBaseManager(Bolmo.resolveDevice(model.device), "PyTorch");
                HfCheckpoint checkpoint = HfCheckpoint.open(model.model)) {
            BolmoConfig config = checkpoint.bolmoConfig();
            SubwordVocabulary vocab = config.addExpandedEmbeddings() ? SubwordVocabulary.load(
                    SubwordVocabulary.locate(model.model, config.subwordVocabulary(), model.tokenizer)) : null;
            try (BolmoModel bolmo = BolmoModel.create(config, Weights.from(manager, checkpoint))) {
                ByteTokenizer tokenizer = vocab == null ? ByteTokenizer.plain() : ByteTokenizer.of(vocab);
                int[] ids = tokenizer.encode(text);
                int[] sub = vocab == null ? new int[ids.length] : SubwordSuffixTrie.build(vocab).expand(ids);
                write(manager, bolmo, ids, sub);
            }
        }
        return 0;
    }

    private void write(NDManager manager, BolmoModel bolmo, int[] ids, int[] sub) {
        try (NDManager scope = manager.newSubManager()) {
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
