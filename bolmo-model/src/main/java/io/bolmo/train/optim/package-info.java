/**
 * AdamW whose state can be saved and restored by parameter name, olmo-core's learning-rate schedules and
 * global-norm gradient clipping: the optimizer side of Bolmo's two training stages (model.md §6.1, §7).
 *
 * <p>One training step, in this order (olmo-core's {@code optim_step}):
 * <pre>{@code
 * try (GradientCollector c = engine.newGradientCollector()) { c.backward(loss); }   // gradients accumulate
 * double norm = opt.clipGradNorm(BolmoOptimizers.MAX_GRAD_NORM);                    // pre-clip norm, to log
 * opt.step(schedule.lr(opt.stepCount() + 1));                                       // updates, zeroes grads
 * }</pre>
 * Checkpoint with {@code opt.save(path)} next to the weights and, on restart, build the optimizer the same way
 * over the restored weights and call {@code opt.load(path)}; the schedule needs only {@link
 * io.bolmo.train.optim.AdamW#stepCount()}.
 */
package io.bolmo.train.optim;
