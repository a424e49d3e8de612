package io.bolmo.batch;

import io.bolmo.merge.TaskArithmetic;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@code merge} job: task arithmetic (spec 11) on Hugging Face directories, next to {@code byteify} and in the
 * same parameter style ({@code bolmo=… base=… post-trained=… alpha=… embeddings=… output=…}). One step; the output
 * directory is written atomically, so a failed or killed run leaves nothing half-written and can simply be restarted.
 */
@Configuration(proxyBeanMethods = false)
public class MergeJobConfiguration {

    public static final String JOB_NAME = "merge";
    private static final Logger LOG = LoggerFactory.getLogger(MergeJobConfiguration.class);

    /** Name → default ({@code null}: required). */
    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bolmo", null);
        d.put("base", null);
        d.put("post-trained", null);
        d.put("alpha", "1");
        d.put("embeddings", "false");
        d.put("output", null);
        return Collections.unmodifiableMap(d);
    }

    /** The parsed parameters; every problem names the parameter and what is allowed. */
    record MergeParameters(Path bolmo, Path base, Path postTrained, double alpha, boolean embeddings, Path output) {

        static MergeParameters of(JobParameters p) {
            JobParameterValues v = JobParameterValues.of(p, DEFAULTS, name -> name.equals("output")
                    ? "the directory to write the merged model to" : "a Hugging Face model directory");
            return new MergeParameters(v.modelDirectory("bolmo"), v.modelDirectory("base"),
                    v.modelDirectory("post-trained"), v.number("alpha"), v.bool("embeddings"), v.path("output"));
        }
    }

    @Bean
    Step mergeStep(JobRepository repository, PlatformTransactionManager tm) {
        return new StepBuilder("merge", repository).tasklet((contribution, context) -> {
            MergeParameters p = MergeParameters.of(context.getStepContext().getStepExecution().getJobParameters());
            TaskArithmetic.Report report = TaskArithmetic.merge(p.bolmo(), p.base(), p.postTrained(), p.alpha(),
                    p.embeddings(), p.output());
            LOG.info("merge into {}: {}", p.output(), report.describe());
            context.getStepContext().getStepExecution().getExecutionContext()
                    .put("bolmo.merged", report.merged().size());
            return RepeatStatus.FINISHED;
        }, tm).build();
    }

    @Bean
    Job merge(JobRepository repository, Step mergeStep) {
        JobParametersValidator validator = params -> {
            try {
                MergeParameters.of(params);
            } catch (IllegalArgumentException e) {
                throw new InvalidJobParametersException(e.getMessage());
            }
        };
        return new JobBuilder(JOB_NAME, repository).validator(validator).start(mergeStep).build();
    }
}
