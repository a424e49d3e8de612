package io.bolmo.generate;

import io.bolmo.engine.Engine;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * One generation from its prompt to its {@link GenerationResult}, on any {@link Engine}, whoever feeds it: the
 * prefill (cancellable between its chunks), the forced decision on a rolled-back last prompt unit (Bolmo, model.md §8.1
 * step 3) and its {@link DecodeLoop}. {@link BolmoGenerator} and {@link OlmoGenerator} feed it alone
 * ({@link #runAlone}); {@link BolmoScheduler} feeds its {@link #sequence()} as a row of a shared batch. Owns its
 * sequence: close it.
 */
final class Generation implements AutoCloseable {

    private static final boolean[] ADVANCE = {true};

    private final Units units;
    private final Engine.Sequence seq; // null when the prefill was cancelled
    private final DecodeLoop loop;
    private final TextStream text;
    private final int promptUnits;
    private final long start;
    private final long prefillPatches;
    private final long decodeStart;
    private final DecodeLoop.Outcome startOutcome;

    /**
     * Runs the prefill and the first choice; {@link #outcome()} is already set when that ended it (limit 0, EOS,
     * cancelled before or during the prefill).
     */
    Generation(Engine engine, Units units, int[] prompt, GenerationOptions options, GenerationListener listener,
            BooleanSupplier cancelled) {
        this.start = System.nanoTime();
        this.units = units;
        this.promptUnits = units.promptUnits(prompt);
        boolean report = options.reportBoundaries();
        this.text = new TextStream(options.stop(), report, listener);
        Sampler sampler = new Sampler(options);
        Engine.Sequence s;
        try {
            s = engine.prefill(prompt, units.prefillRows(prompt), cancelled);
        } catch (CancellationException e) {
            s = null;
        }
        this.seq = s;
        try {
            float[] logits = seq == null ? null : seq.logits();
            int forced = -1;
            int[] candidates = units.forcedChoice(prompt);
            if (seq != null && candidates != null) {
                forced = sampler.sample(logits, candidates);
                listener.onStep(forced);
            }
            ByteBoundaries promptPatches = seq == null || !report ? null : units.promptBoundaries(prompt,
                    seq.promptBoundaries(), seq.promptBoundaryLogProbs(), logits, forced);
            if (promptPatches != null) {
                listener.onPromptBoundaries(promptPatches);
            }
            this.prefillPatches = seq == null ? 0 : seq.patches();
            this.loop = new DecodeLoop(units, forced, sampler, text, options, listener);
            this.decodeStart = System.nanoTime();
            this.startOutcome = seq == null ? new DecodeLoop.Outcome(FinishReason.CANCELLED, 0) : loop.start(logits);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Decodes this generation by itself until it stops: a batch of one on {@code engine}. */
    GenerationResult runAlone(Engine engine) {
        if (startOutcome != null) {
            return finish(startOutcome);
        }
        try (Engine.Batch batch = engine.newBatch()) {
            batch.join(seq);
            return finish(loop.runFrom(null, unit -> batch.step(new int[] {unit}, new int[] {units.row(unit)},
                    ADVANCE)[0]));
        }
    }

    /** Set when the prefill or its own choice already ended the generation. */
    DecodeLoop.Outcome outcome() {
        return startOutcome;
    }

    DecodeLoop loop() {
        return loop;
    }

    Engine.Sequence sequence() {
        return seq;
    }

    /** The subword row of the pending unit, which is fed now (call once per feed). */
    int pendingRow() {
        return units.row(loop.pending());
    }

    /** Releases the held-back text and reports the generation; call once, when {@code o} ended it. */
    GenerationResult finish(DecodeLoop.Outcome o) {
        loop.finish();
        long end = System.nanoTime();
        long patches = seq == null ? 0 : seq.patches() - prefillPatches;
        return new GenerationResult(text.text(), promptUnits, o.generated(), text.textBytes(), (int) patches,
                o.reason(), decodeStart - start, end - decodeStart);
    }

    @Override
    public void close() {
        if (seq != null) {
            seq.close();
        }
    }
}
