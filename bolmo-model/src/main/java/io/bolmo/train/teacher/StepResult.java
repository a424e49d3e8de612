package io.bolmo.train.teacher;

/**
 * What one optimizer step did.
 *
 * @param step     optimizer steps completed, this one included
 * @param loss     mean next-token cross-entropy of the batch, in nats
 * @param gradNorm global gradient norm before clipping
 * @param lr       learning rate used
 * @param tokens   predicted positions in the batch
 * @param seconds  wall time of the step (data, forward, backward, update)
 */
public record StepResult(long step, double loss, double gradNorm, double lr, long tokens, double seconds) {

    public double tokensPerSecond() {
        return tokens / seconds;
    }
}
