package io.bolmo.batch;

import java.nio.file.Path;
import java.util.List;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The validation every job runs before anything else: its parameters read against its {@link JobDescription}
 * (unknown and missing names refused), the path confinement all the way down when the application configures one
 * ({@link PathConfinement}), the job's own checks, and, once everything holds, the claim of its output
 * ({@link TrainingJobs#claimOutput}). Every error becomes an {@link InvalidJobParametersException} with its message.
 */
abstract class JobValidator implements JobParametersValidator {

    private final JobDescription job;
    private final PathConfinement confinement;

    JobValidator(JobDescription job, PathConfinement confinement) {
        this.job = job;
        this.confinement = confinement;
    }

    /** The job's own checks; returns the directories its runs write into, to claim (null: nothing to claim). */
    abstract List<Path> check(JobParameters parameters);

    /** The application's confinement, or null (the command line: the user owns the machine). */
    PathConfinement confinement() {
        return confinement;
    }

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        try {
            JobParameterValues values = JobParameterValues.of(parameters, job);
            if (confinement != null) {
                confinement.checkTrees(job, values);
            }
            List<Path> runOutputs = check(parameters);
            if (runOutputs != null) {
                TrainingJobs.claimOutput(job, parameters, values, runOutputs);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidJobParametersException(e.getMessage());
        }
    }
}
