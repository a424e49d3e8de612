package io.bolmo.batch;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.UnexpectedJobExecutionException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The worker step of a sweep: one partition runs one grid point as a normal job ({@code byteify} or
 * {@code finetune}) with its own parameters and output directory, like Spring Batch's {@code JobStep} (the job is
 * chosen per partition, which a {@code JobStep} cannot). So every run is restartable on its own: when the partition
 * runs again after a failure, starting the job with the same parameters restarts that run's instance from its last
 * checkpoint; a run whose previous worker was lost (its execution still STARTED) is first recovered (marked
 * FAILED, Batch 6 {@code JobOperator.recover}). Like {@code JobStep}, no transaction spans the run: its own chunks
 * commit as they go.
 */
final class SweepRunStep extends AbstractStep {

    static final String NAME = "sweepRun";
    /** Partition context: the run's job name and parameters (JSON object of strings). */
    static final String JOB = "bolmo.sweep.job";
    static final String PARAMETERS = "bolmo.sweep.parameters";
    /** Partition context: the run's job execution and its last training loss. */
    static final String EXECUTION = "bolmo.sweep.execution";
    static final String LOSS = "bolmo.sweep.loss";

    private static final Logger LOG = LoggerFactory.getLogger(SweepRunStep.class);

    private final JobOperator operator;
    private final Map<String, Job> jobs;

    SweepRunStep(JobRepository repository, JobOperator operator, Map<String, Job> jobs) {
        super(NAME);
        setJobRepository(repository);
        this.operator = operator;
        this.jobs = jobs;
    }

    static void describe(ExecutionContext c, String job, Map<String, String> parameters) {
        c.putString(JOB, job);
        c.putString(PARAMETERS, new Gson().toJson(parameters));
    }

    @Override
    protected void doExecute(StepExecution step) throws Exception {
        if (step.isTerminateOnly() || stopAsked(step.getJobExecutionId())) {
            step.setTerminateOnly(); // the sweep was stopped before this partition began: no new run, step STOPPED
            return;
        }
        ExecutionContext c = step.getExecutionContext();
        Job job = jobs.get(c.getString(JOB));
        Map<String, String> values = new Gson().fromJson(c.getString(PARAMETERS),
                new TypeToken<LinkedHashMap<String, String>>() { }.getType());
        JobParametersBuilder b = new JobParametersBuilder();
        values.forEach(b::addString);
        JobParameters parameters = b.toJobParameters();

        JobInstance instance = getJobRepository().getJobInstance(job.getName(), parameters);
        JobExecution last = instance == null ? null : getJobRepository().getLastJobExecution(instance);
        if (last != null && last.getStatus().isRunning()) {
            // this partition runs again only after it failed, so the run's last worker is gone
            LOG.warn("run {} (execution {}) was left {} by a lost worker: recovering it", step.getStepName(),
                    last.getId(), last.getStatus());
            operator.recover(last);
        }
        JobExecution run;
        try (StopRelay relay = new StopRelay(step.getJobExecutionId(), job.getName(), parameters)) {
            try {
                run = operator.start(job, parameters);
            } catch (JobInstanceAlreadyCompleteException e) {
                run = getJobRepository().getLastJobExecution(instance);
            }
            while (run.getStatus().isRunning()) { // a job operator on an asynchronous executor (the training service)
                Thread.sleep(500);
                run = getJobRepository().getJobExecution(run.getId());
            }
        }
        c.putLong(EXECUTION, run.getId());
        run.getStepExecutions().stream().max(Comparator.comparing(StepExecution::getId))
                .filter(s -> s.getExecutionContext().containsKey(TrainingTasklet.LOSS))
                .ifPresent(s -> c.putDouble(LOSS, s.getExecutionContext().getDouble(TrainingTasklet.LOSS)));
        if (run.getStatus().isUnsuccessful()) {
            throw new UnexpectedJobExecutionException("run " + step.getStepName() + " (" + job.getName()
                    + " execution " + run.getId() + ") ended " + run.getStatus() + ": "
                    + run.getExitStatus().getExitDescription());
        }
        if (run.getStatus() == BatchStatus.STOPPED) {
            step.setStatus(BatchStatus.STOPPED);
        }
    }

    /**
     * Whether the sweep was asked to stop. Batch 6's {@code JobOperator.stop} marks the execution STOPPING and, as
     * it also sets an end time, the repository records it STOPPED at once, while its steps still run: either
     * status, seen from a running partition, is a stop request.
     */
    private boolean stopAsked(long sweepExecution) {
        JobExecution sweep = getJobRepository().getJobExecution(sweepExecution);
        return sweep != null && (sweep.getStatus() == BatchStatus.STOPPING || sweep.getStatus() == BatchStatus.STOPPED);
    }

    /**
     * Passes a stop of the sweep on to the run in progress. Stopping the sweep marks only the sweep's execution
     * stopped; the run is a job execution of its own, which would otherwise train to its end first. A thread,
     * because with a synchronous job operator {@code start} returns only when the run has ended; it reads the
     * repository, so a stop asked from another JVM (a remote worker's manager, {@code bolmo-batch stop}) counts too.
     */
    private final class StopRelay implements AutoCloseable {

        private final Thread watcher;

        StopRelay(long sweepExecution, String jobName, JobParameters parameters) {
            watcher = new Thread(() -> relay(sweepExecution, jobName, parameters), "sweep-stop-relay");
            watcher.setDaemon(true);
            watcher.start();
        }

        private void relay(long sweepExecution, String jobName, JobParameters parameters) {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(250);
                    if (!stopAsked(sweepExecution)) {
                        continue;
                    }
                    JobExecution run = getJobRepository().getLastJobExecution(jobName, parameters);
                    if (run != null && run.getStatus().isRunning() && run.getStatus() != BatchStatus.STOPPING) {
                        LOG.info("sweep execution {} is stopping: stopping its run (execution {})", sweepExecution,
                                run.getId());
                        operator.stop(run);
                    }
                    if (run != null && run.getStatus().isRunning()) {
                        continue; // the run may not have been created yet, or is still ending its chunk
                    }
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("cannot pass the stop of sweep execution {} on to its run", sweepExecution, e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            watcher.interrupt();
            watcher.join(5_000);
        }
    }
}
