package io.bolmo.examples.training;

import com.google.gson.JsonObject;
import io.bolmo.batch.JobDescription;
import io.bolmo.batch.PathConfinement;
import io.bolmo.batch.TrainingJobs;
import io.bolmo.batch.TrainingTasklet;
import io.bolmo.train.MetricsLog;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Service;

/**
 * Starting, stopping, restarting and reading executions of the batch jobs on this service's repository. One training
 * run at a time (DJL's gradient collector is process-wide): a start or restart while one runs is a conflict.
 */
@Service
public class TrainingService implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);

    private final JobOperator operator;
    private final JobRepository repository;
    private final Map<String, Job> jobs = new TreeMap<>();
    private final Map<String, JobDescription> descriptions = new TreeMap<>();
    private final PathConfinement paths;
    private final TrainingProperties properties;

    private final List<TrainingTasklet> tasklets;

    public TrainingService(JobOperator operator, JobRepository repository, List<Job> jobs,
            List<JobDescription> descriptions, List<TrainingTasklet> tasklets, PathConfinement paths,
            TrainingProperties properties) {
        this.tasklets = tasklets;
        this.operator = operator;
        this.repository = repository;
        jobs.forEach(j -> this.jobs.put(j.getName(), j));
        descriptions.forEach(d -> this.descriptions.put(d.job(), d));
        this.paths = paths;
        this.properties = properties;
    }

    /**
     * Executions a killed previous process left running are marked FAILED, so they can be restarted; one whose
     * output a live process still holds (another service on the same repository) is left alone.
     */
    @Override
    public void run(ApplicationArguments args) {
        if (!properties.recoverOnStartup()) {
            return;
        }
        for (String name : jobs.keySet()) {
            for (JobExecution e : repository.findRunningJobExecutions(name)) {
                try {
                    TrainingJobs.requireNotRunning(e);
                } catch (IllegalStateException alive) {
                    LOG.info("execution {} of {} is left as it is: {}", e.getId(), name, alive.getMessage());
                    continue;
                }
                LOG.info("execution {} of {} was left {} by a previous process: marking it FAILED", e.getId(), name,
                        e.getStatus());
                operator.recover(e);
            }
        }
    }

    public PathConfinement paths() {
        return paths;
    }

    /** Job names with their parameters and defaults (null: required), for the jobs the service can start. */
    public Map<String, Map<String, String>> jobs() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        descriptions.forEach((name, d) -> {
            if (jobs.containsKey(name)) {
                out.put(name, d.defaults());
            }
        });
        return out;
    }

    public synchronized JobExecution start(String jobName, Map<String, String> parameters) {
        Job job = jobs.get(jobName);
        if (job == null) {
            throw new NotFoundException("job '" + shorten(jobName, 100) + "' is unknown; allowed: " + jobs.keySet());
        }
        JobDescription description = descriptions.get(jobName);
        if (description == null) {
            throw new BadRequestException("job '" + jobName + "' cannot be started from the service: it publishes no"
                    + " parameter definitions, so its paths cannot be confined");
        }
        requireIdle();
        Map<String, String> checked;
        try {
            checked = paths.apply(description, parameters);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        JobParametersBuilder b = new JobParametersBuilder();
        checked.forEach(b::addString);
        JobParameters jp = b.toJobParameters();
        try {
            return operator.start(job, jp);
        } catch (InvalidJobParametersException e) {
            throw new BadRequestException(e.getMessage());
        } catch (JobInstanceAlreadyCompleteException e) {
            throw new ConflictException("a " + jobName + " run with exactly these parameters already completed; change"
                    + " the output (or another parameter) for a new run");
        } catch (JobExecutionAlreadyRunningException e) {
            throw new ConflictException("a " + jobName + " run with these parameters is already running");
        } catch (JobRestartException e) {
            throw new ConflictException("these parameters name an existing run: restart its last execution instead");
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + jobName, e);
        }
    }

    public JobExecution stop(long id) {
        JobExecution e = execution(id);
        if (!e.isRunning()) {
            throw new ConflictException("execution " + id + " is " + e.getStatus() + ", not running");
        }
        for (StepExecution st : e.getStepExecutions()) {
            for (TrainingTasklet t : tasklets) {
                if (Long.valueOf(st.getId()).equals(t.runningStepExecution())) {
                    t.stop(); // in this JVM: the step ends STOPPED after its running optimizer step and a checkpoint
                    return execution(id);
                }
            }
        }
        try {
            operator.stop(id);
        } catch (Exception ex) {
            LOG.warn("stop of execution {} failed", id, ex);
            throw new ConflictException("cannot stop execution " + id + ": it is no longer running");
        }
        return execution(id);
    }

    public synchronized JobExecution restart(long id, boolean recover) {
        JobExecution e = execution(id);
        BatchStatus s = e.getStatus();
        if (s == BatchStatus.STARTED || s == BatchStatus.STARTING || s == BatchStatus.STOPPING) {
            if (!recover) {
                throw new ConflictException("execution " + id + " is " + s + "; if the process that ran it is gone,"
                        + " restart with recover=true");
            }
            try {
                TrainingJobs.requireNotRunning(e); // its output's lock says whether a process still runs it
            } catch (IllegalStateException alive) {
                throw new ConflictException(alive.getMessage());
            }
            e = operator.recover(e);
        }
        requireIdle();
        try {
            return operator.restart(e);
        } catch (JobRestartException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            if (cause instanceof InvalidJobParametersException invalid) {
                throw new BadRequestException(invalid.getMessage());
            }
            LOG.info("restart of execution {} refused", id, ex);
            throw new ConflictException("execution " + id + " cannot be restarted: "
                    + (cause instanceof JobInstanceAlreadyCompleteException ? "its run already completed"
                            : "it is " + e.getStatus() + " (" + cause.getMessage() + ")"));
        }
    }

    private void requireIdle() {
        for (String name : jobs.keySet()) {
            for (JobExecution r : repository.findRunningJobExecutions(name)) {
                throw new ConflictException("execution " + r.getId() + " of " + name + " is running; one training run"
                        + " at a time (stop it first)");
            }
        }
        for (TrainingTasklet t : tasklets) {
            if (t.busy()) {
                throw new ConflictException("a training step is still finishing its chunk (a stop ends it after the"
                        + " running optimizer step and a checkpoint); retry when it has ended");
            }
        }
    }

    public JobExecution execution(long id) {
        JobExecution e;
        try {
            e = id > 0 ? repository.getJobExecution(id) : null;
        } catch (org.springframework.dao.EmptyResultDataAccessException missing) {
            e = null; // the JDBC repository's answer for an id it has never issued
        }
        if (e == null) {
            throw new NotFoundException("execution " + id + " does not exist");
        }
        return e;
    }

    /** The newest executions of every job first, at most {@code limit}. */
    public List<Map<String, Object>> list(int limit) {
        List<JobExecution> all = new ArrayList<>();
        for (String name : jobs.keySet()) {
            for (JobInstance i : repository.getJobInstances(name, 0, limit)) {
                all.addAll(repository.getJobExecutions(i));
            }
        }
        all.sort(Comparator.comparing(JobExecution::getId).reversed());
        return all.stream().limit(limit).map(this::summary).toList();
    }

    public Map<String, Object> summary(JobExecution e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.getId());
        m.put("job", e.getJobInstance().getJobName());
        m.put("instance", e.getJobInstance().getInstanceId());
        m.put("status", status(e).name());
        m.put("exitDescription", shorten(failure(e)));
        m.put("created", text(e.getCreateTime()));
        m.put("started", text(e.getStartTime()));
        m.put("ended", text(e.getEndTime()));
        Map<String, String> params = new LinkedHashMap<>();
        e.getJobParameters().parameters().forEach(p -> params.put(p.name(), String.valueOf(p.value())));
        m.put("parameters", params);
        List<Map<String, Object>> steps = new ArrayList<>();
        long done = 0;
        long total = 0;
        for (StepExecution s : e.getStepExecutions()) {
            Map<String, Object> st = step(s);
            steps.add(st);
            done += (Long) st.get("step");
            total += (Long) st.get("totalSteps");
        }
        m.put("steps", steps);
        m.put("progress", Map.of("step", done, "totalSteps", total));
        return m;
    }

    /**
     * The job's status, except that a job already marked STOPPED (or FAILED) whose step still runs in this JVM (its
     * chunk ends after the current optimizer step) reads STOPPING until the step has ended. Batch 6 records a stopped
     * execution STOPPED at once; a sweep's partitions (and the run each passes the stop to) end after that, so a
     * STOPPED execution with a step still running reads STOPPING too.
     */
    private BatchStatus status(JobExecution e) {
        if (!e.isRunning()) {
            for (StepExecution st : e.getStepExecutions()) {
                for (TrainingTasklet t : tasklets) {
                    if (Long.valueOf(st.getId()).equals(t.runningStepExecution())) {
                        return BatchStatus.STOPPING;
                    }
                }
                if (e.getStatus() == BatchStatus.STOPPED && st.getStatus().isRunning()) {
                    return BatchStatus.STOPPING;
                }
            }
        }
        return e.getStatus();
    }

    private Map<String, Object> step(StepExecution s) {
        ExecutionContext ctx = s.getExecutionContext();
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("name", s.getStepName());
        st.put("status", s.getStatus().name());
        long committed = ctx.containsKey(TrainingTasklet.STEP) ? ctx.getLong(TrainingTasklet.STEP) : 0;
        long total = ctx.containsKey(TrainingTasklet.TOTAL_STEPS) ? ctx.getLong(TrainingTasklet.TOTAL_STEPS) : 0;
        long live = committed;
        List<JsonObject> metrics = metrics(s);
        for (JsonObject o : metrics) {
            if (o.get("kind").getAsString().equals("train")) {
                live = Math.max(live, o.get("step").getAsLong()); // steps of the running chunk, before its commit
            }
        }
        if (s.getStatus() == BatchStatus.COMPLETED) {
            live = total;
        }
        st.put("step", live);
        st.put("checkpointStep", committed);
        st.put("totalSteps", total);
        if (ctx.containsKey(TrainingTasklet.EVAL_LOSS)) {
            st.put("evalLoss", ctx.getDouble(TrainingTasklet.EVAL_LOSS));
            st.put("evalBpb", ctx.getDouble(TrainingTasklet.EVAL_BPB));
        }
        if (ctx.containsKey(TrainingTasklet.CHECKPOINT)) {
            st.put("checkpoint", ctx.getString(TrainingTasklet.CHECKPOINT));
        }
        return st;
    }

    private static List<JsonObject> metrics(StepExecution s) {
        ExecutionContext ctx = s.getExecutionContext();
        return ctx.containsKey(TrainingTasklet.METRICS)
                ? MetricsLog.read(Path.of(ctx.getString(TrainingTasklet.METRICS))) : List.of();
    }

    /**
     * Per step of the execution, its {@code metrics.jsonl}: training entries (loss, ce, bnd, bpb, lr, ...) and held-out
     * evaluations, as JSON text ({@code [{"step":"finetune","train":[...],"eval":[...]}]}).
     */
    public String metricsJson(long id) {
        JobExecution e = execution(id);
        com.google.gson.JsonArray out = new com.google.gson.JsonArray();
        for (StepExecution s : e.getStepExecutions()) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("step", s.getStepName());
            com.google.gson.JsonArray train = new com.google.gson.JsonArray();
            com.google.gson.JsonArray eval = new com.google.gson.JsonArray();
            for (JsonObject m : metrics(s)) {
                (m.get("kind").getAsString().equals("eval") ? eval : train).add(m);
            }
            o.add("train", train);
            o.add("eval", eval);
            out.add(o);
        }
        return out.toString();
    }

    /**
     * Why the execution failed, in the user's terms: the message of its first failure (Batch's exit description
     * is a stack trace, which stays in the log), or the description without a leading exception class name.
     */
    private static String failure(JobExecution e) {
        for (Throwable t : e.getAllFailureExceptions()) {
            if (programmingError(t)) {
                return "internal error (see the service log)";
            }
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c.getMessage() != null && !c.getMessage().isBlank()) {
                    return c.getMessage();
                }
            }
        }
        String d = e.getExitStatus().getExitDescription();
        if (d == null || d.isBlank()) {
            return d;
        }
        String first = d.lines().findFirst().orElse("");
        return first.replaceFirst("^([a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error)(: )?", "");
    }

    /** A bug rather than a bad input or a failed file: its message names code, not the user's terms. */
    static boolean programmingError(Throwable t) {
        return t instanceof NullPointerException || t instanceof ClassCastException
                || t instanceof IndexOutOfBoundsException || t instanceof ArithmeticException
                || t instanceof UnsupportedOperationException || t instanceof Error;
    }

    private static String text(LocalDateTime t) {
        return t == null ? null : t.toString();
    }

    private static String shorten(String s) {
        return shorten(s, 600);
    }

    private static String shorten(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
