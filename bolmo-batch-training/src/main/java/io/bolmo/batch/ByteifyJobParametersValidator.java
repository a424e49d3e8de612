package io.bolmo.batch;

import io.bolmo.train.Stage;
import java.nio.file.Path;
import java.util.List;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * Checks every {@code byteify} parameter before anything runs: syntax and ranges, the teacher directory, the
 * tokenizer and the corpus paths. Stage 2's input is Stage 1's output, so only its parameters are checked here;
 * with {@code stage1-steps=0 init=DIR} Stage 2 alone runs from {@code init}, which is checked instead.
 */
public final class ByteifyJobParametersValidator extends JobValidator {

    public ByteifyJobParametersValidator() {
        this(null);
    }

    public ByteifyJobParametersValidator(PathConfinement confinement) {
        super(ByteifyJobParameters.JOB, confinement);
    }

    @Override
    List<Path> check(JobParameters parameters) {
        ByteifyJobParameters p = ByteifyJobParameters.of(parameters);
        if (p.stage1Skipped()) {
            p.stage2(null).checkFiles(true);
        } else {
            p.stage1().checkFiles(true);
            p.stage2(p.stageOutput(Stage.STAGE1).resolve("final"));
        }
        p.chunkSize();
        p.keepCheckpoints();
        return p.runOutputs();
    }
}
