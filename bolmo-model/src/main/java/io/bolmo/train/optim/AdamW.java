package io.bolmo.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.bolmo.nn.NoGrad;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdamW with exactly the semantics of {@code torch.optim.AdamW} (what olmo-core's {@code AdamWConfig} builds; model.md
 * §6.1, §7), over named parameters, with parameter groups and frozen parameters chosen by fnmatch patterns.
 *
 * <p>Ours exists because DJL's optimizers keep their moments in private maps keyed by per-run parameter ids and
 * cannot save or restore them; this one keeps its state by parameter name and writes it to one file
 * ({@link #save}/{@link #load}), so a restarted job resumes with a warm optimizer.
 *
 * <p>Per update, for each trainable parameter with a gradient (PyTorch order): {@code step += 1};
 * {@code p *= 1 - lr·wd}; {@code m = lerp(m, g, 1-β1)}; {@code v = β2·v + (1-β2)·g²};
 * {@code p -= lr/(1-β1^step) · m / (sqrt(v)/sqrt(1-β2^step) + eps)}. Gradients are zeroed afterwards.
 */
public final class AdamW implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdamW.class);

    /** What the optimizer keeps for one trainable parameter; {@code step} is per parameter, as in PyTorch. */
    static final class ParamState {
        final String name;
        final NDArray param;
        final ParamGroup group;
        NDArray expAvg;
        NDArray expAvgSq;
        long step;

        ParamState(String name, NDArray param, ParamGroup group) {
            this.name = name;
            this.param = param;
            this.group = group;
        }
    }

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, ParamState> trainable;
    private final List<String> frozen;
    private final NDManager stateManager;
    private long stepCount;

    private AdamW(Builder b, Map<String, NDArray> parameters) {
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        ParamGroup defaultGroup = new ParamGroup(ParamGroup.DEFAULT, 1.0, b.weightDecay, List.of());
        GroupAssignment assignment = new GroupAssignment(b.groups, defaultGroup, b.frozen);
        this.trainable = new LinkedHashMap<>();
        this.frozen = new ArrayList<>();
        parameters.forEach((name, p) -> {
            ParamGroup g = assignment.groupOf(name);
            if (g == null) {
                frozen.add(name);
            } else {
                trainable.put(name, new ParamState(name, p, g));
            }
        });
        assignment.unusedPatterns().forEach(p -> LOG.warn("optimizer pattern '{}' matches no parameter", p));
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameters (all " + frozen.size() + " are frozen)");
        }
        this.stateManager = NDManager.subManagerOf(trainable.values().iterator().next().param);
        trainable.values().forEach(this::initState);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies one AdamW update with learning rate {@code lr} (times each group's multiplier) to every trainable
     * parameter that has a gradient, then zeroes the gradients. A parameter whose gradient was never computed is
     * skipped and its step count is not advanced, as PyTorch skips a {@code grad is None}.
     */
    public void step(double lr) {
        stepCount++;
        try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (ParamState s : trainable.values()) {
                NDArray grad = gradientOrNull(s.param);
                if (grad != null) {
                    update(s, grad, lr * s.group.lrMultiplier());
                }
            }
        }
        zeroGrad();
    }

    private void update(ParamState s, NDArray grad, double lr) {
        s.step++;
        double wd = s.group.weightDecay();
        if (wd != 0) {
            s.param.muli(1 - lr * wd); // decoupled decay, before the Adam update (torch _single_tensor_adamw)
        }
        s.expAvg.addi(grad.sub(s.expAvg).muli(1 - beta1)); // torch lerp_(grad, 1-beta1) for weight < 0.5
        s.expAvgSq.muli(beta2).addi(grad.mul(grad).muli(1 - beta2));
        double biasCorrection1 = 1 - Math.pow(beta1, s.step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, s.step));
        NDArray denom = s.expAvgSq.sqrt().divi(biasCorrection2Sqrt).addi(eps);
        s.param.subi(s.expAvg.div(denom).muli(lr / biasCorrection1));
    }

    /** Clips the gradients of the trainable parameters by their global norm; returns the norm before clipping. */
    public double clipGradNorm(double maxNorm) {
        return GradClip.clipGradNorm(trainableParameters(), maxNorm);
    }

    /**
     * Zeroes the gradients of the trainable parameters. Needed because PyTorch accumulates gradients across
     * backward passes and DJL's {@code GradientCollector} does not reset arrays outside a {@code Trainer}.
     */
    public void zeroGrad() {
        for (ParamState s : trainable.values()) {
            if (s.param.hasGradient()) {
                zeroGradient(s.param);
            }
        }
    }

    /** Number of {@link #step} calls so far (restored by {@link #load}). */
    public long stepCount() {
        return stepCount;
    }

    /** Names of the parameters this optimizer updates, in the given order. */
    public List<String> trainableNames() {
        return List.copyOf(trainable.keySet());
    }

    /** Names of the parameters matched by a freeze pattern; they are never updated and have no state. */
    public List<String> frozenNames() {
        return Collections.unmodifiableList(frozen);
    }

    /** The group of a trainable parameter. */
    public ParamGroup groupOf(String name) {
        ParamState s = trainable.get(name);
        if (s == null) {
            throw new IllegalArgumentException("'" + name + "' is not a trainable parameter of this optimizer");
        }
        return s.group;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    /** Writes the complete state (step counts, moments, hyper-parameters) to {@code file} atomically. */
    public void save(Path file) throws IOException {
        OptimizerStateFile.write(this, file);
    }

    /**
     * Replaces the state with the one saved in {@code file}. The file must hold exactly this optimizer's trainable
     * parameters with the same shapes, betas, eps and per-parameter group settings; otherwise an
     * {@link OptimizerStateException} names the first parameter or setting that differs and nothing is changed.
     */
    public void load(Path file) throws IOException {
        OptimizerStateFile.read(this, file);
    }

    @Override
    public void close() {
        stateManager.close();
    }

    Collection<ParamState> states() {
        return trainable.values();
    }

    NDManager stateManager() {
        return stateManager;
    }

    void restoreStepCount(long steps) {
        this.stepCount = steps;
    }

    private List<NDArray> trainableParameters() {
        return trainable.values().stream().map(s -> s.param).toList();
    }

    /** Moments start at zero, as PyTorch creates them on a parameter's first update; eager so save is complete. */
    private void initState(ParamState s) {
        s.expAvg = stateManager.zeros(s.param.getShape(), s.param.getDataType(), s.param.getDevice());
        s.expAvgSq = stateManager.zeros(s.param.getShape(), s.param.getDataType(), s.param.getDevice());
    }

    /** The gradient, or null when none was computed (DJL's getGradient would invent zeros instead). */
    private static NDArray gradientOrNull(NDArray param) {
        if (!param.hasGradient()) {
            return null;
        }
        if (param instanceof PtNDArray pt) {
            return JniUtils.getGradient(pt);
        }
        return param.getGradient();
    }

    private static void zeroGradient(NDArray param) {
        if (param instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            try (NDArray g = param.getGradient()) {
                g.subi(g);
            }
        }
    }

    /**
     * Settings for {@link AdamW}. Defaults are {@code torch.optim.AdamW}'s: betas (0.9, 0.999), eps 1e-8, weight
     * decay 0.01 (Bolmo uses 0.1: see {@link BolmoOptimizers}).
     */
    public static final class Builder {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay = 1e-2;
        private final List<ParamGroup> groups = new ArrayList<>();
        private final List<String> frozen = new ArrayList<>();

        private Builder() {
        }

        public Builder betas(double beta1, double beta2) {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1)");
            }
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Weight decay of the default group (parameters no {@link #group} matches). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** A group for the parameters matching any of {@code patterns}; a parameter may match only one group. */
        public Builder group(String name, double lrMultiplier, double weightDecay, String... patterns) {
            groups.add(new ParamGroup(name, lrMultiplier, weightDecay, List.of(patterns)));
            return this;
        }

        /** Parameters matching any of {@code patterns} are frozen: skipped, no state (olmo-core freeze_params). */
        public Builder freeze(String... patterns) {
            frozen.addAll(List.of(patterns));
            return this;
        }

        /** The optimizer over {@code parameters} (name → array), in the map's iteration order. */
        public AdamW build(Map<String, NDArray> parameters) {
            return new AdamW(this, parameters);
        }
    }
}
