package io.bolmo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared stop/limit/cancel loop, driven by a scripted model whose units are given strings. */
class DecodeLoopTest {

    private static final int EOS = 0;

    /** Emits {@code script} in order (then repeats it); unit i > 0 stands for the text {@code pieces[i]}. */
    private static final class Scripted implements DecodeLoop.Units {
        final String[] pieces;
        final int[] script;
        final List<Integer> fed = new ArrayList<>();
        int next;

        Scripted(String[] pieces, int... script) {
            this.pieces = pieces;
            this.script = script;
        }

        float[] feed(int unit) {
            fed.add(unit);
            return new float[1];
        }

        @Override
        public int choose(float[] logits, Sampler sampler) {
            return script[next++ % script.length];
        }

        @Override
        public boolean isEos(int unit) {
            return unit == EOS;
        }

        @Override
        public int[] bytes(int unit) {
            if (unit == EOS) {
                return new int[0];
            }
            byte[] b = pieces[unit].getBytes(StandardCharsets.UTF_8);
            int[] out = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                out[i] = b[i] & 0xFF;
            }
            return out;
        }
    }

    /** Records the listener's pieces and steps; cancels after {@code cancelAfter} steps. */
    private static final class Recorder implements GenerationListener {
        final StringBuilder text = new StringBuilder();
        final List<String> pieces = new ArrayList<>();
        int steps;
        int cancelAfter = Integer.MAX_VALUE;

        @Override
        public void onText(String piece) {
            pieces.add(piece);
            text.append(piece);
        }

        @Override
        public void onStep(int id) {
            steps++;
        }

        @Override
        public boolean isCancelled() {
            return steps >= cancelAfter;
        }
    }

    private static final String[] PIECES = {"<eos>", "Hel", "lo wo", "rld", "!!", "a"};

    private record Run(DecodeLoop.Outcome outcome, String text, Recorder listener, Scripted units) {}

    private static Run run(GenerationOptions options, Recorder listener, int... script) {
        Scripted units = new Scripted(PIECES, script);
        TextStream text = new TextStream(options.stop(), listener);
        DecodeLoop.Outcome o = DecodeLoop.run(units, units::feed, new float[1], -1, new Sampler(options), text, options, listener);
        return new Run(o, text.text(), listener, units);
    }

    private static GenerationOptions.Builder options() {
        return GenerationOptions.builder().maxNewBytes(100);
    }

    @Test
    void stopSequenceSplitAcrossStepsEndsExactlyAndIsNotEmitted() {
        Run r = run(options().stop(java.util.List.of("o world")).build(), new Recorder(), 1, 2, 3, 4);
        assertThat(r.outcome()).isEqualTo(new DecodeLoop.Outcome(FinishReason.STOP, 3));
        assertThat(r.text()).isEqualTo("Hell");
        assertThat(r.listener().text.toString()).isEqualTo("Hell");
        assertThat(r.listener().pieces).noneMatch(p -> p.contains("o"));
    }

    @Test
    void theFirstOfSeveralStopSequencesToCompleteWins() {
        Run r = run(options().stop(java.util.List.of("rld!", "wor")).build(), new Recorder(), 1, 2, 3, 4);
        assertThat(r.text()).isEqualTo("Hello ");
        assertThat(r.outcome().reason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void aStopSequenceThatNeverMatchesDoesNotWithholdTheTail() {
        // "lo wo" ends with "wo", a prefix of the stop sequence: held back while it could still match
        Run r = run(options().maxNewBytes(2).stop(java.util.List.of("world peace")).build(), new Recorder(), 1, 2, 3);
        assertThat(r.outcome()).isEqualTo(new DecodeLoop.Outcome(FinishReason.LENGTH, 2));
        assertThat(r.text()).isEqualTo("Hello wo");
        assertThat(r.listener().text.toString()).isEqualTo("Hello wo");
    }

    @Test
    void theUnitLimitEndsExactly() {
        Run r = run(options().maxNewBytes(7).build(), new Recorder(), 5);
        assertThat(r.outcome()).isEqualTo(new DecodeLoop.Outcome(FinishReason.LENGTH, 7));
        assertThat(r.text()).isEqualTo("aaaaaaa");
        assertThat(r.listener().steps).isEqualTo(7);
        assertThat(r.units().fed).hasSize(6); // the last choice is never fed
    }

    @Test
    void aZeroLimitGeneratesNothing() {
        Run r = run(options().maxNewBytes(0).build(), new Recorder(), 5);
        assertThat(r.outcome()).isEqualTo(new DecodeLoop.Outcome(FinishReason.LENGTH, 0));
        assertThat(r.listener().steps).isZero();
    }

    @Test
    void eosEndsGenerationAndIsNotCounted() {
        Run r = run(options().build(), new Recorder(), 1, 2, EOS, 3);
        assertThat(r.outcome()).isEqualTo(new DecodeLoop.Outcome(FinishReason.STOP, 2));
        assertThat(r.text()).isEqualTo("Hello wo");
    }

    @Test
    void eosIsAnEmptyUnitWhenNotStoppingAtIt() {
        Run r = run(options().maxNewBytes(4).stopAtEos(false).build(), new Recorder(), 1, 2, EOS, 3);
        assertThat(r.outcome()).isEqualTo(new DecodeLoop.Outcome(FinishReason.LENGTH, 4));
        assertThat(r.text()).isEqualTo("Hello world");
    }

    @Test
    void cancellationStopsBeforeTheNextStep() {
        Recorder listener = new Recorder();
        listener.cancelAfter = 3;
        Run r = run(options().build(), listener, 5);
        assertThat(r.outcome()).isEqualTo(new DecodeLoop.Outcome(FinishReason.CANCELLED, 3));
        assertThat(r.units().fed).hasSize(2);
    }

    @Test
    void aPendingUnitIsFedBeforeTheFirstChoice() {
        Scripted units = new Scripted(PIECES, 5);
        GenerationOptions options = options().maxNewBytes(1).build();
        DecodeLoop.run(units, units::feed, null, 42, new Sampler(options), new TextStream(List.of(), GenerationListener.NONE),
                options, GenerationListener.NONE);
        assertThat(units.fed).containsExactly(42);
    }
}
