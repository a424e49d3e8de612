package io.bolmo.batch;

import io.bolmo.merge.TaskArithmetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
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
    private static final Set<String> NAMES = Set.of("bolmo", "base", "post-trained", "alpha", "embeddings", "output");

    /** The parsed parameters; every problem names the parameter and what is allowed. */
    record MergeParameters(Path bolmo, Path base, Path postTrained, double alpha, boolean embeddings, Path output) {

        static MergeParameters of(JobParameters p) {
            for (String name : p.parameters().stream().map(jp -> jp.name()).toList()) {
                if (!NAMES.contains(name)) {
                    throw new IllegalArgumentException("unknown parameter '" + name + "'; allowed: " + NAMES);
                }
            }
            return new MergeParameters(directory(p, "bolmo"), directory(p, "base"), directory(p, "post-trained"),
                    number(p, "alpha"), bool(p, "embeddings"), required(p, "output"));
        }

        private static Path required(JobParameters p, String name) {
            String v = p.getString(name);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(name + " is required: a Hugging Face model directory path");
            }
            return Path.of(v);
        }

        private static Path directory(JobParameters p, String name) {
            Path dir = required(p, name);
            if (!Files.isRegularFile(dir.resolve("config.json"))) {
                throw new IllegalArgumentException(name + " = " + dir + " is invalid: no config.json there");
            }
            return dir;
        }

        private static double number(JobParameters p, String name) {
            String v = p.getString(name);
            try {
                double d = v == null ? 1.0 : Double.parseDouble(v);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " = " + v + " is invalid: must be a finite number (default 1.0)");
            }
        }

        private static boolean bool(JobParameters p, String name) {
            String v = p.getString(name);
            if (v == null) {
                return false;
            }
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(name + " = " + v + " is invalid: allowed true, false (default false)");
            }
            return Boolean.parseBoolean(v);
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
