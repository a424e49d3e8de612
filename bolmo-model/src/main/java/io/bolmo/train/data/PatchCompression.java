package io.bolmo.train.data;

import java.util.Locale;

/**
 * The Stage 2 option that raises bytes per patch gradually (model.md §4.5 "gradual boundary compression"): the boundary
 * targets β* follow subword patches merged until each window's bytes / patches reaches the current ratio, which
 * ramps linearly from {@code startRatio} to {@code targetRatio} over {@code rampSteps} optimizer steps and then
 * stays at the target. Merges come from a {@link MergeOrder} of the given {@link Kind}.
 *
 * @param kind        how adjacent subword patches are chosen for merging ({@link Kind#NONE}: the option is off)
 * @param startRatio  bytes per patch at step 0; 0 = each window's own subword ratio (the ramp then starts as a
 *                    no-op everywhere)
 * @param targetRatio bytes per patch reached after {@code rampSteps} steps
 * @param rampSteps   optimizer steps of the linear ramp
 */
public record PatchCompression(Kind kind, double startRatio, double targetRatio, long rampSteps) {

    /** How merges are chosen. */
    public enum Kind {
        /** Off: the subword boundaries as they are. */
        NONE,
        /** BPE over each window's subword ids: merge the most frequent adjacent id pair first ({@link BpeMerges}). */
        BPE,
        /** Drop subword boundaries inside whitespace-delimited words, in random order ({@link SpaceMerges}). */
        SPACE;

        public static Kind parse(String value) {
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "none" -> NONE;
                case "bpe" -> BPE;
                case "space" -> SPACE;
                default -> throw new IllegalArgumentException("compression = '" + value
                        + "' is invalid; allowed: none, bpe, space");
            };
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The subword boundaries unchanged. */
    public static final PatchCompression NONE = new PatchCompression(Kind.NONE, 0, 0, 0);

    public PatchCompression {
        if (kind == null) {
            throw new IllegalArgumentException("compression is invalid: a kind is required (none, bpe, space)");
        }
        if (kind == Kind.NONE) {
            check(startRatio == 0 && targetRatio == 0 && rampSteps == 0, "compression", "none",
                    "compression-target, compression-start and compression-steps need compression = bpe or space");
        } else {
            check(Double.isFinite(targetRatio) && targetRatio > 1, "compression-target", targetRatio,
                    "must be > 1 (bytes per patch)");
            check(startRatio == 0 || Double.isFinite(startRatio) && startRatio >= 1 && startRatio <= targetRatio,
                    "compression-start", startRatio, "must be in [1, compression-target = " + targetRatio
                            + "], or 0 for each window's own subword ratio");
            check(rampSteps >= 1, "compression-steps", rampSteps, "must be >= 1");
        }
    }

    public static PatchCompression bpe(double target, long rampSteps) {
        return new PatchCompression(Kind.BPE, 0, target, rampSteps);
    }

    public static PatchCompression space(double target, long rampSteps) {
        return new PatchCompression(Kind.SPACE, 0, target, rampSteps);
    }

    public boolean enabled() {
        return kind != Kind.NONE;
    }

    /**
     * The ratio a window with its own subword ratio {@code own} must reach before optimizer step {@code step} + 1
     * (step = steps already taken): start + (target − start) · min(1, step / rampSteps).
     */
    public double ratioAt(long step, double own) {
        if (!enabled()) {
            return own;
        }
        double start = startRatio == 0 ? own : startRatio;
        double progress = Math.min(1.0, Math.max(0, step) / (double) rampSteps);
        return start + (targetRatio - start) * progress;
    }

    /**
     * As written to a checkpoint's {@code state.json}: {@code bpe from own to 6.0 in 300 steps} (own: each window's
     * subword ratio), {@code space from 2.0 to 4.0 in 100 steps}, {@code none}.
     */
    @Override
    public String toString() {
        return enabled() ? String.format(Locale.ROOT, "%s from %s to %s in %d steps", kind.id(),
                startRatio == 0 ? "own" : Double.toString(startRatio), targetRatio, rampSteps) : "none";
    }

    private static void check(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(name + " = " + value + " is invalid: " + rule);
        }
    }
}
