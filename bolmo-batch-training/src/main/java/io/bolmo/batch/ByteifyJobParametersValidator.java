package io.bolmo.batch;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Checks every {@code byteify} parameter before anything runs: syntax and ranges, the teacher directory, the
 * tokenizer and the corpus paths. Stage 2's input is Stage 1's output, so only its parameters are checked here;
 * with {@code stage1-steps=0 init=DIR} Stage 2 alone runs from {@code init}, which is checked instead.
 */
public final class ByteifyJobParametersValidator implements JobParametersValidator {

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        try {
            ByteifyJobParameters p = ByteifyJobParameters.of(parameters);
            if (p.stage1Skipped()) {
                p.stage2(null).checkFiles(true);
            } else {
                p.stage1().checkFiles(true);
                p.stage2(p.stageOutput(io.bolmo.train.Stage.STAGE1).resolve("final"));
            }
            p.chunkSize();
            p.keepCheckpoints();
        } catch (IllegalArgumentException e) {
            throw new InvalidJobParametersException(e.getMessage());
        }
    }
}
