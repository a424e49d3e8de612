package io.bolmo.batch;

import com.google.gson.JsonObject;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.RunDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * What every training job does around its runs, so that a job never loses or overwrites work: it claims its output
 * directory ({@link RunDirectory#claim}: another run's output is refused unless {@code overwrite=true}), holds the
 * output's lock while an execution runs ({@link #outputLock}), and an execution whose lock a live process holds is
 * never recovered ({@link #requireNotRunning}).
 */
public final class TrainingJobs {

    private TrainingJobs() {}

    /**
     * Claims the job's {@code output} for this run of {@code job}: the owner is the job's name and the parameters as
     * given (what makes a Batch job instance; a default that a later version changes does not make an old run
     * another one), so a restart is the same owner and any other run is another.
     */
    static void claimOutput(JobDescription job, JobParameters given, JobParameterValues values,
            List<Path> runOutputs) {
        JsonObject owner = new JsonObject();
        owner.addProperty("job", job.job());
        Map<String, String> parameters = new TreeMap<>();
        given.parameters().forEach(p -> parameters.put(p.name(), String.valueOf(p.value()).trim()));
        owner.add("parameters", RunCheckpoints.JSON.toJsonTree(parameters));
        RunDirectory.claim(values.path("output"), owner, values.bool("overwrite"), runOutputs);
    }

    /**
     * A listener that locks the job's {@code output} directory from the start of an execution to its end; an
     * execution whose output another live process holds fails at once, naming it.
     */
    static JobExecutionListener outputLock() {
        return new JobExecutionListener() {
            private final Map<Long, RunDirectory.Lock> held = new ConcurrentHashMap<>();

            @Override
            public void beforeJob(JobExecution execution) {
                Path output = output(execution);
                if (output != null) {
                    held.put(execution.getId(), RunDirectory.lock(output));
                }
            }

            @Override
            public void afterJob(JobExecution execution) {
                RunDirectory.Lock lock = held.remove(execution.getId());
                if (lock != null) {
                    lock.close();
                }
            }
        };
    }

    /**
     * Refuses to recover (mark {@code FAILED} for a restart) an execution whose output directory is locked by a live
     * process, in this JVM or another: the run is still going, whatever the job repository says.
     */
    public static void requireNotRunning(JobExecution execution) {
        Path output = output(execution);
        if (output != null && RunDirectory.isLocked(output)) {
            throw new IllegalStateException("execution " + execution.getId() + " is still running: its output "
                    + output + " is locked by a live process; stop it first (recover is for executions whose process"
                    + " is gone)");
        }
    }

    private static Path output(JobExecution execution) {
        JobParameter<?> p = execution.getJobParameters().getParameter("output");
        return p == null || String.valueOf(p.value()).isBlank() ? null : Path.of(String.valueOf(p.value()).trim());
    }
}
