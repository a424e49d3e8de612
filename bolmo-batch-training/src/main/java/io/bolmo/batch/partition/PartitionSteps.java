package io.bolmo.batch.partition;

import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.partition.support.SimpleStepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;

/**
 * Builds the manager step of a partitioned job so that configuration alone decides where its partitions run: on a
 * thread pool of this JVM ({@link PartitioningProperties#localThreads()} at once; one at a time for training), or,
 * with {@code bolmo.batch.partitions.remote=true}, on workers over the broker ({@link RemotePartitioning}).
 */
public final class PartitionSteps {

    private final JobRepository repository;
    private final PartitioningProperties properties;
    private final ObjectProvider<RemotePartitioning> remote;

    public PartitionSteps(JobRepository repository, PartitioningProperties properties,
            ObjectProvider<RemotePartitioning> remote) {
        this.repository = repository;
        this.properties = properties;
        this.remote = remote;
    }

    /**
     * @param name        the manager step's name
     * @param worker      the step each partition runs ({@code worker.getName()} names the partitions
     *                    {@code WORKER:KEY})
     * @param partitioner the partitions' contexts (read from the job parameters; on a restart only the unfinished
     *                    partitions run again, with their last context)
     * @param oneAtATime  run local partitions one after another (training: one run per JVM)
     */
    public Step manager(String name, Step worker, Partitioner partitioner, boolean oneAtATime) {
        if (properties.remote()) {
            return remote.getObject().managerStep(name, worker.getName(), partitioner);
        }
        // partitions start in name order (Spring Batch's splitter returns a hash set), so a local run goes
        // partition-000, partition-001, … as its log and an operator expect
        StepExecutionSplitter inOrder = new SimpleStepExecutionSplitter(repository, worker.getName(), partitioner) {
            @Override
            public Set<StepExecution> split(StepExecution stepExecution, int gridSize) throws JobExecutionException {
                Set<StepExecution> sorted = new TreeSet<>(Comparator.comparing(StepExecution::getStepName));
                sorted.addAll(super.split(stepExecution, gridSize));
                return sorted;
            }
        };
        return new StepBuilder(name, repository).partitioner(worker.getName(), partitioner).splitter(inOrder)
                .step(worker).taskExecutor(localExecutor(oneAtATime)).build();
    }

    private TaskExecutor localExecutor(boolean oneAtATime) {
        if (oneAtATime || properties.localThreads() == 1) {
            return new SyncTaskExecutor();
        }
        SimpleAsyncTaskExecutor pool = new SimpleAsyncTaskExecutor("partition-");
        pool.setConcurrencyLimit(properties.localThreads());
        return pool;
    }

    public boolean remote() {
        return properties.remote();
    }
}
