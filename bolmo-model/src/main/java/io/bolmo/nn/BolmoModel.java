package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.bolmo.config.BolmoConfig;

/**
 * Bolmo (model.md §1): bytes → {@link LocalEncoder} → {@link BoundaryPredictor} → {@link PatchPooling} →
 * {@link GlobalTransformer} over patches → {@link Depooling} → {@link LocalDecoder} → {@link LmHead} over the fused
 * 520(+padding)-way byte/boundary space.
 *
 * <p>The whole-sequence pass is here; byte-by-byte decoding (package {@code generate}) and training (package
 * {@code train}) use the components directly. Parameters keep their Hugging Face names (model.md §9.3).
 */
public final class BolmoModel implements AutoCloseable {

    private final BolmoConfig config;
    private final Weights weights;
    private final LocalEncoder encoder;
    private final BoundaryPredictor boundaryPredictor;
    private final PatchPooling pooling;
    private final GlobalTransformer global;
    private final Depooling depooling;
    private final LocalDecoder decoder;
    private final LmHead lmHead;

    private BolmoModel(BolmoConfig config, Weights w) {
        BolmoSizes s = BolmoSizes.of(config);
        this.config = config;
        this.weights = w;
        this.encoder = new LocalEncoder(w, s, config.numLocalEncoderLayers(), config.addExpandedEmbeddings());
        this.pooling = new PatchPooling(w, s.d());
        this.boundaryPredictor = new BoundaryPredictor(w, s.d());
        this.global = new GlobalTransformer(w, config.global());
        this.decoder = new LocalDecoder(w, s, config.numLocalDecoderLayers());
        this.depooling = new Depooling(w, s);
        this.lmHead = new LmHead(w, s.d(), s.vocab(), s.rmsNormEps());
        w.checkAllUsed();
    }

    /**
     * Builds the model over {@code weights}, which must hold exactly the tensors of model.md §9.3 for this config. The
     * model owns the weights from now on; closing it frees them.
     */
    public static BolmoModel create(BolmoConfig config, Weights weights) {
        try {
            return new BolmoModel(config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Everything a whole-sequence pass computes; arrays live on the manager of the input ids. */
    public record Output(NDArray logits, NDArray boundaryLogProbs, NDArray boundaryMask, NDArray encoderStates,
            NDArray patchEmbeddings, NDArray globalOutput, Patches patches) implements AutoCloseable {

        @Override
        public void close() {
            logits.close();
            boundaryLogProbs.close();
            boundaryMask.close();
            encoderStates.close();
            patchEmbeddings.close();
            globalOutput.close();
        }
    }

    /**
     * Full forward with the predictor's own boundaries ({@code sample:0}). ids and expanded subword ids
     * {@code [B, L]} → logits {@code [B, L, V]}: position t scores the fused symbol of byte t+1.
     */
    public Output forward(NDArray ids, NDArray subwordIds) {
        return forward(ids, subwordIds, null);
    }

    /**
     * Full forward; with {@code fixed} patches (teacher-forced subword boundaries in Stage 1, or boundaries held
     * fixed for analysis) the predictor's decisions are computed but not used for pooling.
     */
    public Output forward(NDArray ids, NDArray subwordIds, Patches fixed) {
        NDManager out = ids.getManager();
        try (NDScope scope = new NDScope()) {
            NDArray h = encoder.forward(ids, subwordIds, null);
            NDArray logProbs = boundaryPredictor.logProbs(h);
            NDArray mask = BoundaryPredictor.decide(logProbs);
            Patches patches = fixed != null ? fixed : Patches.of(mask);
            NDArray z = pooling.pool(h, patches);
            NDArray g = global.forward(z, 0, null);
            NDArray u = depooling.depool(h, g, patches);
            NDArray logits = lmHead.forward(decoder.forward(u, null));
            Output o = new Output(logits, logProbs, mask, h, z, g, patches);
            for (NDArray a : new NDArray[] {logits, logProbs, mask, h, z, g}) {
                NDScope.unregister(a);
                a.attach(out);
            }
            return o;
        }
    }

    public BolmoConfig config() {
        return config;
    }

    public Weights weights() {
        return weights;
    }

    public LocalEncoder encoder() {
        return encoder;
    }

    public BoundaryPredictor boundaryPredictor() {
        return boundaryPredictor;
    }

    public PatchPooling pooling() {
        return pooling;
    }

    public GlobalTransformer global() {
        return global;
    }

    public Depooling depooling() {
        return depooling;
    }

    public LocalDecoder decoder() {
        return decoder;
    }

    public LmHead lmHead() {
        return lmHead;
    }

    @Override
    public void close() {
        weights.close();
    }
}
