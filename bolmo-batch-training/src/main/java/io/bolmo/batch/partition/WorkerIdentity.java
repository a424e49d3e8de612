package io.bolmo.batch.partition;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Records which JVM runs a partition ({@code host:pid} under {@link #KEY} in the partition's context), stored at
 * once, before the partition's work, so that reports and operators can see where each partition ran or runs.
 */
public final class WorkerIdentity implements StepExecutionListener {

    /** Partition context: the {@code host:pid} of the JVM that ran it. */
    public static final String KEY = "bolmo.worker";

    private final JobRepository repository;

    public WorkerIdentity(JobRepository repository) {
        this.repository = repository;
    }

    /** This JVM as {@code host:pid}. */
    public static String current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        stepExecution.getExecutionContext().putString(KEY, current());
        repository.updateExecutionContext(stepExecution);
    }
}
