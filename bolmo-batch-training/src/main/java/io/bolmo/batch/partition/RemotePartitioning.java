package io.bolmo.batch.partition;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.ConditionalExceptionLogger;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.integration.partition.BeanFactoryStepLocator;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilderFactory;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.amqp.inbound.AmqpInboundChannelAdapter;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * Remote partitioning over RabbitMQ ({@code bolmo.batch.partitions.remote=true}), on Spring Batch Integration: a
 * manager step built by {@link RemotePartitioningManagerStepBuilderFactory} sends one {@code StepExecutionRequest}
 * per partition to the durable queue {@code bolmo.batch.partitions.queue} and polls the shared job repository for
 * the results; a JVM started with the {@code worker} command consumes the queue, one partition at a time (prefetch
 * 1, acknowledged when the partition has ended), and runs it with Spring Batch's {@link StepExecutionRequestHandler}
 * (any worker step of any job, located by name). {@link PartitionWatchdog} and {@link PartitionWorker} add worker
 * liveness.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "bolmo.batch.partitions", name = "remote", havingValue = "true")
@EnableIntegration // Boot 4 auto-configures Spring Integration only with spring-boot-integration on the class path
public class RemotePartitioning {

    private static final Logger LOG = LoggerFactory.getLogger(RemotePartitioning.class);

    private final JobRepository repository;
    private final PartitioningProperties properties;
    private final Broker broker;
    private final Checks checks;
    private final RemotePartitioningManagerStepBuilderFactory managers;
    private final RabbitTemplate rabbit;
    private final DirectChannel requests = new DirectChannel();

    public RemotePartitioning(JobRepository repository, PartitioningProperties properties,
            ConnectionFactory connectionFactory, DataSource dataSource) {
        this.repository = repository;
        this.properties = properties;
        if (connectionFactory instanceof AbstractConnectionFactory f) {
            // a lease check closes its channel with 404/405 by design: not worth an ERROR line per check
            ConditionalExceptionLogger standard = new AbstractConnectionFactory.DefaultChannelCloseLogger();
            f.setCloseExceptionLogger((log, message, t) -> {
                if (!Broker.isLeaseAnswer(t)) {
                    standard.log(log, message, t);
                }
            });
        }
        RabbitTemplate rabbit = new RabbitTemplate(connectionFactory);
        rabbit.setMessageConverter(new PartitionRequestConverter());
        this.broker = new Broker(rabbit, properties.queue());
        this.checks = new Checks(dataSource);
        this.managers = new RemotePartitioningManagerStepBuilderFactory(repository);
        this.rabbit = rabbit;
    }

    /** The manager step of a partitioned job: requests to the queue, results from the repository. */
    Step managerStep(String name, String workerStepName, Partitioner partitioner) {
        return managers.get(name).partitioner(workerStepName, partitioner).outputChannel(requests)
                .pollInterval(properties.pollInterval().toMillis())
                .listener(new PartitionWatchdog(workerStepName, repository, broker, checks, properties)).build();
    }

    public Broker broker() {
        return broker;
    }

    /** The request queue, declared by every JVM on its first connection. */
    @Bean
    Queue partitionQueue() {
        return new Queue(properties.queue(), true);
    }

    @Bean
    IntegrationFlow partitionRequestsOut() {
        return IntegrationFlow.from(requests).handle(Amqp.outboundAdapter(rabbit).routingKey(properties.queue()))
                .get();
    }

    /** Where a worker's consumer puts the requests it receives. */
    @Bean
    DirectChannel partitionRequestsReceived() {
        return new DirectChannel();
    }

    /** The worker's consumer; started by {@link Worker#serve()} only, so a manager never takes partitions. */
    @Bean
    AmqpInboundChannelAdapter partitionRequestsIn(ConnectionFactory connectionFactory,
            DirectChannel partitionRequestsReceived) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(properties.queue());
        container.setConcurrentConsumers(1); // one partition at a time per JVM (training: one run per JVM)
        container.setPrefetchCount(1); // a busy worker holds no request another worker could run
        container.setAcknowledgeMode(AcknowledgeMode.AUTO); // acknowledged when the partition has ended
        container.setDefaultRequeueRejected(false); // a request that fails to run is dropped, not looped
        container.setAutoStartup(false);
        AmqpInboundChannelAdapter in = new AmqpInboundChannelAdapter(container);
        in.setMessageConverter(new PartitionRequestConverter());
        in.setOutputChannel(partitionRequestsReceived);
        in.setAutoStartup(false);
        return in;
    }

    @Bean
    IntegrationFlow partitionRequestsHandled(DirectChannel partitionRequestsReceived,
            PartitionWorker partitionWorker) {
        return IntegrationFlow.from(partitionRequestsReceived).handle(partitionWorker, "handle").get();
    }

    @Bean
    BeanFactoryStepLocator partitionStepLocator() {
        return new BeanFactoryStepLocator();
    }

    @Bean
    PartitionWorker partitionWorker(BeanFactoryStepLocator partitionStepLocator) {
        StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
        handler.setJobRepository(repository);
        handler.setStepLocator(partitionStepLocator);
        return new PartitionWorker(repository, handler, broker);
    }

    @Bean
    Worker partitionWorkerCommand(AmqpInboundChannelAdapter partitionRequestsIn) {
        return new Worker(partitionRequestsIn, broker, checks, properties);
    }

    /** The {@code worker} command: consume partition requests until the JVM is asked to stop. */
    public static final class Worker {

        private final AmqpInboundChannelAdapter in;
        private final Broker broker;
        private final Checks checks;
        private final PartitioningProperties properties;
        private final CountDownLatch stopped = new CountDownLatch(1);

        Worker(AmqpInboundChannelAdapter in, Broker broker, Checks checks, PartitioningProperties properties) {
            this.in = in;
            this.broker = broker;
            this.checks = checks;
            this.properties = properties;
        }

        /** Blocks until the application context closes (SIGTERM, Ctrl-C). */
        public void serve() throws InterruptedException {
            checks.sharedRepository();
            broker.checkReachable();
            in.start();
            LOG.info("worker {} consumes partition requests from queue '{}' at {}", WorkerIdentity.current(),
                    properties.queue(), broker.address());
            stopped.await();
        }

        @EventListener(ContextClosedEvent.class)
        void contextClosed() {
            stopped.countDown();
        }
    }

    /** Set-up checks shared by manager and workers. */
    static final class Checks {

        private final DataSource dataSource;

        Checks(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** Fails on a job repository that only this JVM can open (an H2 file or in-memory database). */
        void sharedRepository() {
            String url;
            try (Connection c = dataSource.getConnection()) {
                url = c.getMetaData().getURL();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot reach the job repository (spring.datasource.url): "
                        + e.getMessage(), e);
            }
            if (url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:")) {
                throw new IllegalStateException("remote partitioning needs a job repository that the manager and"
                        + " every worker share (spring.datasource.url=jdbc:postgresql://HOST/DB); " + url
                        + " is a database of this JVM only");
            }
        }
    }
}
