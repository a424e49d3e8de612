package io.bolmo.examples.training;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code bolmo.training.*}: where requests may read from and write to.
 *
 * @param dataRoot          inputs (models, corpora, chat sets, tokenizers) must lie under this directory or under
 *                          {@code outputRoot} (a finished run's model is a valid input); relative paths resolve here
 * @param outputRoot        every job's {@code output} must lie under this directory; relative paths resolve here
 * @param recoverOnStartup  mark executions a previous process left STARTED as FAILED at start-up, so they can be
 *                          restarted (right when this service is the only process using the job repository)
 */
@ConfigurationProperties("bolmo.training")
public record TrainingProperties(Path dataRoot, Path outputRoot, Boolean recoverOnStartup) {

    public TrainingProperties {
        dataRoot = dataRoot == null ? Path.of("data") : dataRoot;
        outputRoot = outputRoot == null ? Path.of("runs") : outputRoot;
        recoverOnStartup = recoverOnStartup == null || recoverOnStartup;
    }
}
