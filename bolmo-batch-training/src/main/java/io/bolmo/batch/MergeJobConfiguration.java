package io.bolmo.batch;

import io.bolmo.merge.TaskArithmetic;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@code merge} job: task arithmetic (model.md §11) on Hugging Face directories, next to {@code byteify} and in the
 * same parameter style ({@code bolmo=… base=… post-trained=… alpha=… embeddings=… output=…}). One step; the output
 * directory is written atomically, so a failed or killed run leaves nothing half-written and can simply be restarted.
 */
@Configuration(proxyBeanMethods = false)
public class MergeJobConfiguration {

    public static final String JOB_NAME = "merge";
    private static final Logger LOG = LoggerFactory.getLogger(MergeJobConfiguration.class);

    /** The parameters of {@code merge}: names, defaults, which are paths. */
    public static final JobDescription JOB = new JobDescription(JOB_NAME, List.of(
            JobParameterDefinition.input("bolmo", null, "a Hugging Face model directory"),
            JobParameterDefinition.input("base", null, "a Hugging Face model directory"),
            JobParameterDefinition.input("post-trained", null, "a Hugging Face model directory"),
            JobParameterDefinition.value("alpha", "1"),
            JobParameterDefinition.value("embeddings", "false"),
            JobParameterDefinition.output("the directory to write the merged model to"),
            JobParameterDefinition.overwrite()));

    /** The parsed parameters; every problem names the parameter and what is allowed. */
    record MergeParameters(Path bolmo, Path base, Path postTrained, double alpha, boolean embeddings, Path output,
            boolean overwrite) {

        static MergeParameters of(JobParameters p) {
            JobParameterValues v = JobParameterValues.of(p, JOB);
            return new MergeParameters(v.modelDirectory("bolmo"), v.modelDirectory("base"),
                    v.modelDirectory("post-trained"), v.number("alpha"), v.bool("embeddings"), v.path("output"),
                    v.bool("overwrite"));
        }
    }

    /**
     * The merged model replaces {@code output} as a whole (atomically), so an output that holds anything (another
     * run's checkpoints, a model) is refused unless {@code overwrite=true}.
     */
    static final class Validator extends JobValidator {

        Validator(PathConfinement confinement) {
            super(JOB, confinement);
        }

        @Override
        List<Path> check(JobParameters parameters) {
            MergeParameters p = MergeParameters.of(parameters);
            if (!p.overwrite() && Files.isDirectory(p.output()) && !isEmpty(p.output())) {
                throw new IllegalArgumentException("job parameter 'output' = '" + p.output() + "' is invalid: the"
                        + " directory is not empty and a merge replaces it as a whole; choose a new directory or"
                        + " pass overwrite=true");
            }
            return null;
        }

        private static boolean isEmpty(Path dir) {
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                return s.findAny().isEmpty();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("job parameter 'output': " + dir + " cannot be read");
            }
        }
    }

    @Bean
    JobDescription mergeDescription() {
        return JOB;
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
    Job merge(JobRepository repository, Step mergeStep, ObjectProvider<PathConfinement> confinement) {
        return new JobBuilder(JOB_NAME, repository).validator(new Validator(confinement.getIfAvailable()))
                .start(mergeStep).build();
    }
}
