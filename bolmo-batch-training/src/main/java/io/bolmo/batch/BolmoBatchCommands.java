package io.bolmo.batch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.bolmo.batch.partition.RemotePartitioning;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/**
 * The command line: {@code start [job=NAME] key=value…} launches {@code byteify} (default), {@code pretrain},
 * {@code merge}, {@code finetune}, {@code eval}, {@code prepare} or {@code sweep}; {@code worker} serves the
 * partitions of remote runs ({@code bolmo.batch.partitions.remote=true}) until the JVM is stopped; {@code stop ID}
 * asks a running execution
 * (in any JVM sharing the job repository) to stop at its next chunk boundary; {@code restart [ID]} restarts
 * execution ID, or the last execution of {@code byteify}, from its last committed checkpoint. An execution left
 * STARTED by a killed JVM must be restarted with {@code --recover}, which first marks it FAILED (Batch 6
 * {@code JobOperator.recover}); it is refused while a live process still holds the run's output directory lock.
 */
@Component
public class BolmoBatchCommands implements ApplicationRunner, ExitCodeGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(BolmoBatchCommands.class);
    static final String USAGE = "usage: start [job=byteify|pretrain|merge|finetune|eval|prepare|sweep] key=value..."
            + " | worker | stop EXECUTION_ID | restart [EXECUTION_ID | job=NAME] [--recover]";

    private final JobOperator operator;
    private final JobRepository repository;
    private final Map<String, Job> jobs = new TreeMap<>();
    private final Job job;
    private final ObjectProvider<RemotePartitioning.Worker> worker;
    private int exitCode;

    public BolmoBatchCommands(JobOperator operator, JobRepository repository, List<Job> jobs, Job byteify,
            ObjectProvider<RemotePartitioning.Worker> worker) {
        this.operator = operator;
        this.repository = repository;
        jobs.forEach(j -> this.jobs.put(j.getName(), j));
        this.job = byteify;
        this.worker = worker;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        List<String> a = args.getNonOptionArgs();
        if (a.isEmpty()) {
            return; // embedded use (tests, another runner): nothing to do
        }
        try {
            switch (a.get(0)) {
                case "start" -> start(a.subList(1, a.size()));
                case "stop" -> stop(a);
                case "restart" -> restart(a, args.containsOption("recover"));
                case "worker" -> worker();
                default -> fail("unknown command '" + a.get(0) + "'; " + USAGE);
            }
        } catch (JobExecutionException | IllegalArgumentException | IllegalStateException e) {
            // a user error (bad parameter, nothing to restart, already complete): one line, not a stack trace
            fail(a.get(0) + " failed: " + e.getMessage());
        }
    }

    /** {@code job=NAME} picks the job; every other pair is a job parameter. */
    private void start(List<String> pairs) throws Exception {
        Job chosen = job;
        List<String> rest = new java.util.ArrayList<>();
        for (String kv : pairs) {
            if (kv.startsWith("job=")) {
                chosen = jobs.get(kv.substring(4));
                if (chosen == null) {
                    throw new IllegalArgumentException("job '" + kv.substring(4) + "' is unknown; allowed: " + jobs.keySet());
                }
            } else {
                rest.add(kv);
            }
        }
        finish(operator.start(chosen, parameters(rest)));
    }

    private static org.springframework.batch.core.job.parameters.JobParameters parameters(List<String> pairs) {
        JobParametersBuilder b = new JobParametersBuilder();
        for (String kv : pairs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("job parameter '" + kv + "' is not key=value; " + USAGE);
            }
            b.addString(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return b.toJobParameters();
    }

    /** Serves partitions of remote runs until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    private void worker() throws InterruptedException {
        RemotePartitioning.Worker w = worker.getIfAvailable();
        if (w == null) {
            fail("worker needs remote partitioning: set bolmo.batch.partitions.remote=true, the broker"
                    + " (spring.rabbitmq.host, port, username, password) and the job repository all JVMs share"
                    + " (spring.datasource.url, username, password)");
            return;
        }
        w.serve();
    }

    private void stop(List<String> a) throws Exception {
        if (a.size() != 2) {
            fail("stop needs one execution id; " + USAGE);
            return;
        }
        long id = executionId(a.get(1));
        boolean sent = operator.stop(id);
        LOG.info("stop of execution {} {}", id, sent ? "requested: it stops at its next chunk boundary" : "not sent");
        exitCode = sent ? 0 : 1;
    }

    private void restart(List<String> a, boolean recover) throws Exception {
        boolean byJob = a.size() > 1 && a.get(1).startsWith("job=");
        String jobName = byJob ? a.get(1).substring(4) : job.getName();
        JobExecution last = a.size() > 1 && !byJob ? repository.getJobExecution(executionId(a.get(1)))
                : lastExecution(jobName);
        if (last == null) {
            fail("no execution " + (a.size() > 1 && !byJob ? a.get(1) : "of job " + jobName) + " to restart");
            return;
        }
        BatchStatus s = last.getStatus();
        if (s == BatchStatus.COMPLETED) {
            // restarting is idempotent: a JVM killed after its job completed (and before it exited) looks like a
            // failure to whoever launched it, and the restart that follows has nothing left to do
            LOG.info("execution {} of {} already completed: nothing to restart", last.getId(),
                    last.getJobInstance().getJobName());
            exitCode = 0;
            return;
        }
        if (s == BatchStatus.STARTED || s == BatchStatus.STARTING || s == BatchStatus.STOPPING) {
            if (!recover) {
                fail("execution " + last.getId() + " is " + s + ": if its JVM was killed, restart with --recover");
                return;
            }
            TrainingJobs.requireNotRunning(last);
            LOG.info("recovering execution {} (was {}) as FAILED", last.getId(), s);
            last = operator.recover(last);
        }
        LOG.info("restarting execution {} ({})", last.getId(), last.getStatus());
        finish(operator.restart(last));
    }

    private JobExecution lastExecution(String jobName) {
        JobInstance instance = repository.getLastJobInstance(jobName);
        return instance == null ? null : repository.getLastJobExecution(instance);
    }

    private void finish(JobExecution e) {
        LOG.info("execution {} of {} ended {} ({})", e.getId(), e.getJobInstance().getJobName(), e.getStatus(),
                e.getExitStatus().getExitDescription());
        exitCode = e.getStatus() == BatchStatus.COMPLETED ? 0 : e.getStatus() == BatchStatus.STOPPED ? 3 : 1;
    }

    private static long executionId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("execution id '" + s + "' is not a number; " + USAGE, e);
        }
    }

    private void fail(String message) {
        LOG.error(message);
        exitCode = 2;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
