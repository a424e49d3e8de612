package io.bolmo.batch.partition;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * The manager side of worker liveness, a listener of one remote manager step. Before the partitions go out it checks
 * the set-up (a shared job repository, a reachable broker, at least one worker, waiting up to
 * {@code worker-wait}); while they run it reads their state every {@code poll-interval} and fails, in the job
 * repository, every partition that is STARTED but whose worker's lease is gone ({@link Broker}), and every pending
 * one when no worker has consumed the queue for {@code worker-wait}. Spring Batch's own polling
 * ({@code MessageChannelPartitionHandler}) then sees no partition running and ends the step FAILED, so a lost
 * worker fails the step instead of hanging it; {@code restart} runs the failed partitions again.
 */
final class PartitionWatchdog implements StepExecutionListener {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWatchdog.class);

    private final String partitionPrefix;
    private final JobRepository repository;
    private final Broker broker;
    private final RemotePartitioning.Checks checks;
    private final PartitioningProperties properties;
    private final Map<Long, ScheduledExecutorService> watching = new ConcurrentHashMap<>();

    PartitionWatchdog(String workerStepName, JobRepository repository, Broker broker, RemotePartitioning.Checks checks,
            PartitioningProperties properties) {
        this.partitionPrefix = workerStepName + ":";
        this.repository = repository;
        this.broker = broker;
        this.checks = checks;
        this.properties = properties;
    }

    @Override
    public void beforeStep(StepExecution manager) {
        checks.sharedRepository();
        broker.checkReachable();
        awaitWorker();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "partition-watchdog-" + manager.getId());
            t.setDaemon(true);
            return t;
        });
        Watch watch = new Watch(manager.getJobExecutionId());
        long every = properties.pollInterval().toMillis();
        timer.scheduleWithFixedDelay(watch::check, every, every, TimeUnit.MILLISECONDS);
        watching.put(manager.getId(), timer);
    }

    @Override
    public ExitStatus afterStep(StepExecution manager) {
        ScheduledExecutorService timer = watching.remove(manager.getId());
        if (timer != null) {
            timer.shutdownNow();
        }
        if (manager.getStatus().isUnsuccessful()) {
            // partitions never started (their requests not sent, or dropped) would block a restart as STARTING
            new Watch(manager.getJobExecutionId()).failPending("not started: the manager step ended "
                    + manager.getStatus());
        }
        return null;
    }

    private void awaitWorker() {
        long deadline = System.nanoTime() + properties.workerWait().toNanos();
        while (broker.consumers() == 0) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("no worker consumes queue '" + broker.queue() + "' at "
                        + broker.address() + " (waited " + seconds(properties.workerWait()) + "); start workers with"
                        + " the command 'worker' and the same bolmo.batch.partitions.*, spring.rabbitmq.* and"
                        + " spring.datasource.* settings");
            }
            sleep(Math.min(200, properties.workerWait().toMillis() + 1));
        }
    }

    /** One manager step execution's partitions. */
    private final class Watch {

        private final long jobExecutionId;
        private long noWorkerSince = -1;

        Watch(long jobExecutionId) {
            this.jobExecutionId = jobExecutionId;
        }

        void check() {
            try {
                JobExecution job = repository.getJobExecution(jobExecutionId);
                List<StepExecution> partitions = job.getStepExecutions().stream()
                        .filter(s -> s.getStepName().startsWith(partitionPrefix)).toList();
                for (StepExecution p : partitions) {
                    // the lease is taken before the worker marks its partition STARTED and given back after the
                    // result is stored, so STARTED without a lease, read again after the lease check, is a dead worker
                    if (p.getStatus() == BatchStatus.STARTED && !broker.held(p.getId())) {
                        StepExecution again = repository.getStepExecution(p.getId());
                        if (again.getStatus() == BatchStatus.STARTED && !broker.held(p.getId())) {
                            fail(again, "its worker was lost (process killed or machine unreachable: the broker"
                                    + " closed the worker's connection while it ran this partition)");
                        }
                    }
                }
                checkPending(partitions);
            } catch (RuntimeException e) {
                LOG.warn("partition watchdog of job execution {}: {}", jobExecutionId, e.toString());
            }
        }

        private void checkPending(List<StepExecution> partitions) {
            List<StepExecution> pending = partitions.stream().filter(s -> s.getStatus() == BatchStatus.STARTING)
                    .toList();
            if (pending.isEmpty() || broker.consumers() > 0) {
                noWorkerSince = -1;
                return;
            }
            long now = System.nanoTime();
            if (noWorkerSince < 0) {
                noWorkerSince = now;
                LOG.warn("no worker consumes queue '{}' and {} partitions wait", broker.queue(), pending.size());
            } else if (now - noWorkerSince >= properties.workerWait().toNanos()) {
                failPending("not started: no worker consumed queue '" + broker.queue() + "' at " + broker.address()
                        + " for " + seconds(properties.workerWait()));
            }
        }

        void failPending(String why) {
            for (StepExecution p : repository.getJobExecution(jobExecutionId).getStepExecutions()) {
                if (p.getStepName().startsWith(partitionPrefix) && p.getStatus() == BatchStatus.STARTING) {
                    fail(p, why);
                }
            }
        }

        private void fail(StepExecution p, String why) {
            p.setStatus(BatchStatus.FAILED);
            p.setExitStatus(ExitStatus.FAILED.addExitDescription("partition " + p.getStepName() + " failed: " + why));
            p.setEndTime(LocalDateTime.now());
            try {
                repository.update(p);
                LOG.error("partition {} failed: {}", p.getStepName(), why);
            } catch (OptimisticLockingFailureException e) {
                LOG.debug("partition {} changed meanwhile; checked again next time", p.getStepName());
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a worker", e);
        }
    }
}
