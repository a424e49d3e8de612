package io.bolmo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Weights;
import java.util.List;

/**
 * Stage 1 initialisation of a Bolmo student from its subword teacher (model.md §2.2, {@code fix_init}). Named for what
 * it initialises: the teacher itself is trained in {@code io.bolmo.train.teacher}.
 * <ul>
 *   <li>global blocks: the teacher's blocks (frozen in Stage 1);</li>
 *   <li>retained subword table E_sub: the first {@code subword_vocab_size} rows of the teacher embedding;</li>
 *   <li>byte table E_byte: N(μ, σ²) with the teacher embedding's per-dimension mean and std;</li>
 *   <li>boundary predictor W_q, W_k: identity; every mLSTM input-gate bias: −10;</li>
 *   <li>everything else: PyTorch's default {@code reset_parameters()} (Linear U(±1/√in), norms 1);</li>
 *   <li>encoder {@code out_projection}: rescaled so that patch vectors of random bytes have the teacher
 *       embedding's per-dimension mean and std (model.md §2.2: the reference's aggregation is not pinned down; we use
 *       per-dimension, like E_byte).</li>
 * </ul>
 */
public final class StudentInit {

    static final float INPUT_GATE_BIAS = -10f;

    private StudentInit() {}

    /** The Bolmo config that byteifies {@code teacher} with the given local model shape. */
    public static BolmoConfig configFor(OlmoConfig teacher, int encoderLayers, int decoderLayers, int localHeads,
            int localIntermediate, int subwordVocabSize, String subwordVocabulary) {
        OlmoConfig global = new OlmoConfig("bolmo", 0, teacher.hiddenSize(), teacher.intermediateSize(),
                teacher.numHiddenLayers(), teacher.numAttentionHeads(), teacher.numKeyValueHeads(), teacher.headDim(),
                teacher.rmsNormEps(), teacher.ropeTheta(), teacher.layerTypes(), teacher.slidingWindow(), false,
                BolmoConfig.BOS_ID, BolmoConfig.EOS_ID, BolmoConfig.PAD_ID);
        return new BolmoConfig(global, 640, encoderLayers, decoderLayers, localHeads, localIntermediate, 1e-5,
                subwordVocabSize, true, 1, "sample:0", subwordVocabulary);
    }

    /**
     * A new student on {@code manager}'s device. {@code seed} fixes every random draw, so the same seed gives the
     * same initial weights.
     */
    public static BolmoModel student(BolmoConfig config, OlmoModel teacher, long seed, NDManager manager) {
        if (teacher.config().hiddenSize() != config.hiddenSize()) {
            throw new IllegalArgumentException("teacher hidden_size " + teacher.config().hiddenSize()
                    + " differs from the student's " + config.hiddenSize() + ": local dims equal global dims"
                    + " (docs/model.md §1)");
        }
        if (teacher.config().vocabSize() < config.subwordVocabSize()) {
            throw new IllegalArgumentException("subword_vocab_size " + config.subwordVocabSize()
                    + " exceeds the teacher's embedding rows " + teacher.config().vocabSize());
        }
        manager.getEngine().setRandomSeed((int) seed);
        BolmoModel student = BolmoModel.create(config, Weights.from(manager, new Weights.Source() {
            @Override
            public java.util.Set<String> names() {
                return java.util.Set.of(); // every tensor is made on request, none is left over
            }

            @Override
            public NDArray load(String name, Shape expected, NDManager m) {
                return initial(name, expected, teacher, config, m);
            }
        }));
        rescaleOutProjection(student, teacher, config, manager);
        return student;
    }

    private static NDArray initial(String name, Shape shape, OlmoModel teacher, BolmoConfig config, NDManager m) {
        if (name.startsWith("model.layers.")) {
            return teacher.weights().get(name).duplicate();
        }
        NDArray embedding = teacher.embedding();
        if (name.equals("model.local_encoder.subword_embedding.weight")) {
            return embedding.get(new NDIndex(":{}", config.subwordVocabSize())).duplicate();
        }
        if (name.equals("model.local_encoder.byte_embedding.weight")) {
            NDArray mean = embedding.mean(new int[] {0});
            NDArray std = embedding.sub(mean).square().mean(new int[] {0}).sqrt();
            return m.randomNormal(shape).mul(std).add(mean);
        }
        if (name.endsWith("q_proj_layer.weight") || name.endsWith("k_proj_layer.weight")) {
            return m.eye((int) shape.get(0));
        }
        if (name.endsWith("igate_preact.bias")) {
            return m.full(shape, INPUT_GATE_BIAS);
        }
        if (name.endsWith("norm.weight") || name.endsWith("layernorm.weight")) {
            return m.ones(shape);
        }
        // a bias's default bound uses its Linear's fan-in, which is d for every biased Linear here
        long fanIn = name.endsWith(".bias") ? config.hiddenSize() : shape.get(shape.dimension() - 1);
        float bound = (float) (1 / Math.sqrt(fanIn));
        return m.randomUniform(-bound, bound, shape);
    }

    private static void rescaleOutProjection(BolmoModel student, OlmoModel teacher, BolmoConfig config,
            NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            int rows = 8;
            int len = 64;
            NDArray ids = scratch.randomInteger(BolmoConfig.BYTE_OFFSET, BolmoConfig.PLAIN_VOCAB,
                    new Shape(rows, len), ai.djl.ndarray.types.DataType.INT32);
            NDArray sub = scratch.randomInteger(0, config.subwordVocabSize(), new Shape(rows, len),
                    ai.djl.ndarray.types.DataType.INT32);
            NDArray h = student.encoder().forward(ids, sub, null).reshape(-1, config.hiddenSize());
            NDArray weight = student.weights().get("model.local_encoder.out_projection.weight");
            NDArray bias = student.weights().get("model.local_encoder.out_projection.bias");
            NDArray projected = h.matMul(weight.transpose());
            NDArray hMean = projected.mean(new int[] {0});
            NDArray hStd = projected.sub(hMean).square().mean(new int[] {0}).sqrt();
            NDArray embedding = teacher.embedding();
            NDArray tMean = embedding.mean(new int[] {0});
            NDArray tStd = embedding.sub(tMean).square().mean(new int[] {0}).sqrt();
            NDArray ratio = tStd.div(hStd.maximum(1e-12f));
            weight.muli(ratio.expandDims(1));
            bias.set(new NDIndex(":"), tMean.sub(hMean.mul(ratio)));
        }
    }

    /** Names of the parameters Stage 1 trains: everything but the global blocks (model.md §6.1). */
    public static boolean stage1Trainable(String name) {
        return !name.startsWith("model.layers.");
    }

    static List<String> frozenInStage1() {
        return List.of("model.layers.*");
    }
}
