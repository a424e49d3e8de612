package io.bolmo.batch.partition;

import java.time.LocalDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * The worker side: runs one partition request at a time through Spring Batch's {@link StepExecutionRequestHandler},
 * holding the partition's lease ({@link Broker}) meanwhile. It runs only partitions nobody started: a request that
 * the broker delivers again after its first worker died finds its partition STARTED (or already failed by the
 * manager) and is dropped, so no partition runs twice; and once a partition of the same job execution has failed,
 * the remaining ones are failed unstarted, so the manager step ends promptly and {@code restart} runs them.
 */
final class PartitionWorker {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWorker.class);

    private final JobRepository repository;
    private final StepExecutionRequestHandler delegate;
    private final Broker broker;

    PartitionWorker(JobRepository repository, StepExecutionRequestHandler delegate, Broker broker) {
        this.repository = repository;
        this.delegate = delegate;
        this.broker = broker;
    }

    public void handle(StepExecutionRequest request) {
        StepExecution partition = repository.getStepExecution(request.getStepExecutionId());
        if (partition == null) {
            LOG.warn("{}: no such step execution in the job repository; dropped", request);
            return;
        }
        if (partition.getStatus() != BatchStatus.STARTING) {
            LOG.warn("partition {} is {}: a request delivered again after its worker was lost; dropped (the"
                    + " manager fails it, restart runs it again)", partition.getStepName(), partition.getStatus());
            return;
        }
        Optional<String> reason = reasonNotToStart(partition);
        if (reason.isPresent()) {
            failUnstarted(partition, reason.get());
            return;
        }
        broker.hold(partition.getId());
        try {
            LOG.info("running partition {} (step execution {})", partition.getStepName(), partition.getId());
            StepExecution result = delegate.handle(request);
            persistIfLost(result);
            LOG.info("partition {} ended {}", partition.getStepName(), result.getStatus());
        } finally {
            broker.release(partition.getId());
        }
    }

    /** Why a pending partition must not start: its job execution ended, or another of its partitions failed. */
    private Optional<String> reasonNotToStart(StepExecution partition) {
        JobExecution job = repository.getJobExecution(partition.getJobExecutionId());
        if (!job.getStatus().isRunning()) {
            return Optional.of("its job execution " + job.getId() + " is " + job.getStatus());
        }
        String prefix = partition.getStepName().substring(0, partition.getStepName().indexOf(':') + 1);
        return job.getStepExecutions().stream()
                .filter(s -> s.getStepName().startsWith(prefix) && s.getStatus().isUnsuccessful())
                .findFirst().map(s -> "partition " + s.getStepName() + " of the same execution " + s.getStatus());
    }

    private void failUnstarted(StepExecution partition, String reason) {
        partition.setStatus(BatchStatus.FAILED);
        partition.setExitStatus(ExitStatus.FAILED.addExitDescription("not started: " + reason));
        partition.setEndTime(LocalDateTime.now());
        try {
            repository.update(partition);
            LOG.info("partition {} not started: {}", partition.getStepName(), reason);
        } catch (OptimisticLockingFailureException e) {
            LOG.debug("partition {} changed meanwhile: {}", partition.getStepName(), e.getMessage());
        }
    }

    /**
     * The request handler marks a step that threw out of {@code execute} FAILED only in memory (its receiver is to
     * store it); with the repository as the only channel back to the manager, store it here.
     */
    private void persistIfLost(StepExecution result) {
        StepExecution stored = repository.getStepExecution(result.getId());
        if (stored != null && stored.getStatus().isRunning() && !result.getStatus().isRunning()) {
            stored.setStatus(result.getStatus());
            stored.setExitStatus(result.getExitStatus());
            stored.setEndTime(LocalDateTime.now());
            repository.update(stored);
        }
    }
}
