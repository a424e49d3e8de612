package io.bolmo.engine.vector.nn;

import io.bolmo.config.BolmoConfig;

/** The dimensions of Bolmo's local components, read once from {@link BolmoConfig}. */
record BolmoShapes(int d, int localHeads, int localHidden, double rmsNormEps, double localRmsNormEps, int vocab,
        int subwordVocab, int encoderLayers, int decoderLayers) {

    static BolmoShapes of(BolmoConfig c) {
        return new BolmoShapes(c.hiddenSize(), c.numLocalHeads(), c.localIntermediateSize(), c.rmsNormEps(),
                c.localRmsNormEps(), c.vocabSize(), c.addExpandedEmbeddings() ? c.subwordVocabSize() : 0,
                c.numLocalEncoderLayers(), c.numLocalDecoderLayers());
    }
}
