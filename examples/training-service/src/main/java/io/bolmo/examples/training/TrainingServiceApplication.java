package io.bolmo.examples.training;

import io.bolmo.batch.BolmoBatchApplication;
import io.bolmo.batch.BolmoBatchCommands;
import io.bolmo.batch.PathConfinement;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;

/**
 * Runs the jobs of {@code bolmo-batch-training} (every job configuration of {@code io.bolmo.batch}; not its command
 * line) on this application's JDBC job repository, behind a REST API and a status page.
 */
@SpringBootApplication
@EnableConfigurationProperties(TrainingProperties.class)
public class TrainingServiceApplication {

    /** The job configurations of {@code io.bolmo.batch}, without its command line and application class. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @ComponentScan(basePackages = "io.bolmo.batch", excludeFilters = @ComponentScan.Filter(
            type = FilterType.ASSIGNABLE_TYPE, classes = {BolmoBatchCommands.class, BolmoBatchApplication.class}))
    static class BatchJobs {
    }

    /**
     * Requests choose the jobs' paths, so every path parameter of every job is confined to the roots, all the way
     * down (the jobs' validators check it before they run).
     */
    @Bean
    PathConfinement pathConfinement(TrainingProperties properties) {
        return new PathConfinement(properties.dataRoot(), properties.outputRoot());
    }

    /** Jobs start on their own thread: a request returns as soon as the execution exists. */
    @Bean
    @BatchTaskExecutor
    TaskExecutor batchTaskExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("training-");
        executor.setVirtualThreads(false);
        return executor;
    }

    public static void main(String[] args) {
        SpringApplication.run(TrainingServiceApplication.class, args);
    }
}
