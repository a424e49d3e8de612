package io.bolmo.batch.partition;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The partitioning beans every JVM has, local or remote ({@link RemotePartitioning} adds the broker side). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PartitioningProperties.class)
public class PartitioningConfiguration {

    @Bean
    PartitionSteps partitionSteps(JobRepository repository, PartitioningProperties properties,
            ObjectProvider<RemotePartitioning> remote) {
        return new PartitionSteps(repository, properties, remote);
    }

    @Bean
    WorkerIdentity workerIdentity(JobRepository repository) {
        return new WorkerIdentity(repository);
    }
}
