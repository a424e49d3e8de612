package io.bolmo.batch;

import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.StepMetrics;
import java.time.Duration;
import java.util.Locale;

/**
 * One progress line per chunk: percent, ETA from this execution's own pace, the last step's losses and, where the run
 * evaluates, the held-out loss.
 */
final class ChunkProgress {

    private final String name;
    private final long firstStep;
    private final long totalSteps;
    private final long startNanos = System.nanoTime();

    ChunkProgress(String name, long firstStep, long totalSteps) {
        this.name = name;
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
    }

    String line(long step, StepMetrics last) {
        return line(step, last, null);
    }

    String line(long step, StepMetrics last, HeldOutMetrics eval) {
        double percent = 100.0 * step / totalSteps;
        long doneHere = step - firstStep; // steps before a restart do not tell this machine's pace
        long elapsed = System.nanoTime() - startNanos;
        Duration eta = doneHere == 0 ? Duration.ZERO
                : Duration.ofNanos((long) ((double) elapsed / doneHere * (totalSteps - step)));
        return String.format(Locale.ROOT, "%s %d/%d (%.1f%%) ETA %s | %s%s", name, step, totalSteps, percent,
                format(eta), last == null ? "-" : last.format(), eval == null ? "" : " | " + eval.format());
    }

    private static String format(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
