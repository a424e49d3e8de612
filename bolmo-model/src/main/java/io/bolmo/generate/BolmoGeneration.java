package io.bolmo.generate;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.tokenize.SubwordSuffixTrie;

/**
 * One Bolmo generation from its prompt to its {@link GenerationResult}, whoever feeds it: the prefill, the forced
 * decision on the rolled-back last prompt byte (spec 8.1 step 3) and its {@link DecodeLoop}. {@link BolmoGenerator}
 * feeds it alone ({@link #runAlone()}); {@link BolmoScheduler} feeds its {@link #sequence()} as a row of a
 * {@link DecodeBatch}. Owns its sequence: close it.
 */
final class BolmoGeneration implements AutoCloseable {

    private final BolmoSequence seq;
    private final DecodeLoop loop;
    private final int promptUnits;
    private final TextStream text;
    private final long start;
    private final long prefillPatches;
    private final long decodeStart;
    private final DecodeLoop.Outcome startOutcome;

    /** Runs the prefill and the first choice; {@link #outcome()} is already set when that choice ended it. */
    BolmoGeneration(BolmoModel model, SubwordSuffixTrie trie, NDManager manager, int[] promptIds,
            GenerationOptions options, GenerationListener listener) {
        this.start = System.nanoTime();
        this.seq = new BolmoSequence(model, trie, manager);
        try {
            Sampler sampler = new Sampler(options);
            BolmoGenerator.Bytes units = new BolmoGenerator.Bytes(seq, options); // a bad constraint fails before the prefill
            float[] logits = seq.prefill(promptIds);
            int forced = -1;
            if (promptIds.length > 1) {
                int last = promptIds[promptIds.length - 1];
                forced = sampler.sample(logits, new int[] {last, last + BolmoConfig.PLAIN_VOCAB});
                listener.onStep(forced);
            }
            this.promptUnits = promptIds.length - 1;
            this.prefillPatches = seq.patches();
            this.text = new TextStream(options.stop(), listener);
            this.loop = new DecodeLoop(units, forced, sampler, text, options, listener);
            this.decodeStart = System.nanoTime();
            this.startOutcome = loop.start(logits);
        } catch (RuntimeException | Error e) {
            seq.close();
            throw e;
        }
    }

    /** Decodes this generation by itself until it stops, one {@link BolmoSequence#step} per byte. */
    GenerationResult runAlone() {
        DecodeLoop.Outcome o = startOutcome;
        while (o == null) {
            o = loop.check();
            if (o == null) {
                o = loop.accept(seq.step(loop.pending()));
            }
        }
        return finish(o);
    }

    /** Set when the prefill's own choice already ended the generation (limit 0, EOS, cancelled before start). */
    DecodeLoop.Outcome outcome() {
        return startOutcome;
    }

    DecodeLoop loop() {
        return loop;
    }

    BolmoSequence sequence() {
        return seq;
    }

    /** Releases the held-back text and reports the generation; call once, when {@code o} ended it. */
    GenerationResult finish(DecodeLoop.Outcome o) {
        loop.finish();
        long end = System.nanoTime();
        return new GenerationResult(text.text(), promptUnits, o.generated(), text.textBytes(),
                (int) (seq.patches() - prefillPatches), o.reason(), decodeStart - start, end - decodeStart);
    }

    @Override
    public void close() {
        seq.close();
    }
}
