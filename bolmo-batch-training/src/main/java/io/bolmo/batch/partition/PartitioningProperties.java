package io.bolmo.batch.partition;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the partitioned jobs ({@code eval}, {@code prepare}, {@code sweep}) run their partitions: on a thread pool in
 * this JVM (the default), or on worker JVMs over RabbitMQ ({@code bolmo.batch.partitions.remote=true}; every JVM
 * then needs the same broker, {@code spring.rabbitmq.*}, and the same job repository, {@code spring.datasource.*}).
 *
 * @param remote       send partitions to workers instead of running them here
 * @param queue        the broker queue that carries partition requests to the workers
 * @param pollInterval how often the manager reads its partitions' state from the job repository and checks that
 *                     the workers running them are alive
 * @param workerWait   how long a manager waits for a first worker, and how long it lets pending partitions wait
 *                     while no worker is consuming before it fails them
 * @param localThreads partitions run at once in a local run (eval, prepare); training sweeps run one at a time
 */
@ConfigurationProperties("bolmo.batch.partitions")
public record PartitioningProperties(@DefaultValue("false") boolean remote,
        @DefaultValue("bolmo.partitions") String queue, @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("30s") Duration workerWait, @DefaultValue("1") int localThreads) {

    public PartitioningProperties {
        if (queue == null || queue.isBlank()) {
            throw new IllegalArgumentException("bolmo.batch.partitions.queue must name a queue");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("bolmo.batch.partitions.poll-interval = " + pollInterval
                    + " must be > 0");
        }
        if (workerWait.isNegative()) {
            throw new IllegalArgumentException("bolmo.batch.partitions.worker-wait = " + workerWait + " must be >= 0");
        }
        if (localThreads < 1) {
            throw new IllegalArgumentException("bolmo.batch.partitions.local-threads = " + localThreads
                    + " must be >= 1");
        }
    }
}
