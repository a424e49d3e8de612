package io.bolmo.nn;

import io.bolmo.config.BolmoConfig;

/** The dimensions every local component needs, derived once from {@link BolmoConfig}. */
record BolmoSizes(int d, int localHeads, int localHidden, double rmsNormEps, double localRmsNormEps,
        int vocab, int subwordVocab) {

    static BolmoSizes of(BolmoConfig c) {
        return new BolmoSizes(c.hiddenSize(), c.numLocalHeads(), c.localIntermediateSize(), c.rmsNormEps(),
                c.localRmsNormEps(), c.vocabSize(), c.subwordVocabSize());
    }
}
