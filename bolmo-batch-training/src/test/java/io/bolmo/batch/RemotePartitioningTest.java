package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.batch.partition.RemotePartitioning;
import io.bolmo.batch.partition.WorkerIdentity;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Remote partitioning on a real RabbitMQ and PostgreSQL (env {@code BOLMO_TEST_RABBITMQ_URL}
 * {@code amqp://user:password@host:port} and {@code BOLMO_TEST_POSTGRES_URL}, {@code _USER}, {@code _PASSWORD};
 * skipped without; {@code .ci/run} provides both): this JVM is the manager, workers are child JVMs running the
 * {@code worker} command. Two workers share an {@code eval} exactly equal to a single pass; a worker SIGKILLed in
 * the middle of a partition fails the step promptly and the restart, on the survivor, completes to the same figures;
 * a 2 × 2 sweep survives the kill of a worker running one of its trainings; a broker that does not answer, a queue
 * nobody consumes and a private job repository are refused naming them.
 */
@SpringBootTest
@EnabledIfEnvironmentVariable(named = "BOLMO_TEST_RABBITMQ_URL", matches = ".+")
@EnabledIfEnvironmentVariable(named = "BOLMO_TEST_POSTGRES_URL", matches = ".+")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemotePartitioningTest {

    static final Path WORK = TinyByteify.root().resolve("remote");
    /** A queue of this test run only, so requests of earlier runs never reach its workers. */
    static final String QUEUE = "bolmo.test." + UUID.randomUUID();
    /** How long after a worker's death the manager step may take to fail (detection plus partitions running). */
    static final long FAIL_WITHIN_SECONDS = 60;
    static final Map<String, Process> WORKERS = new LinkedHashMap<>();
    static int started;
    static Map<String, Double> evalFigures;

    @DynamicPropertySource
    static void remote(DynamicPropertyRegistry r) {
        settings(true).forEach((k, v) -> r.add(k, () -> v));
    }

    /** What every JVM of these tests shares, as Spring properties. */
    static Map<String, String> settings(boolean broker) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("bolmo.batch.partitions.remote", "true");
        s.put("bolmo.batch.partitions.queue", QUEUE);
        s.put("bolmo.batch.partitions.poll-interval", "500ms");
        s.put("bolmo.batch.partitions.worker-wait", "20s");
        if (broker) {
            URI amqp = URI.create(System.getenv("BOLMO_TEST_RABBITMQ_URL"));
            String[] user = amqp.getUserInfo() == null ? new String[] {"guest", "guest"} : amqp.getUserInfo().split(":");
            s.put("spring.rabbitmq.host", amqp.getHost());
            s.put("spring.rabbitmq.port", Integer.toString(amqp.getPort() < 0 ? 5672 : amqp.getPort()));
            s.put("spring.rabbitmq.username", user[0]);
            s.put("spring.rabbitmq.password", user.length > 1 ? user[1] : "");
        }
        s.put("spring.datasource.url", System.getenv("BOLMO_TEST_POSTGRES_URL"));
        s.put("spring.datasource.username", env("BOLMO_TEST_POSTGRES_USER"));
        s.put("spring.datasource.password", env("BOLMO_TEST_POSTGRES_PASSWORD"));
        return s;
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "" : v;
    }

    /** A command line for a child JVM: {@code args}, then {@code settings} as {@code --key=value}. */
    static List<String> cli(Map<String, String> settings, List<String> args) {
        List<String> out = new ArrayList<>(args);
        settings.forEach((k, v) -> out.add("--" + k + "=" + v));
        return out;
    }

    @Autowired
    JobOperator operator;
    @Autowired
    JobRepository repository;
    @Autowired
    Job eval;
    @Autowired
    Job sweep;
    @Autowired
    RemotePartitioning remote;
    @Autowired
    ConnectionFactory connectionFactory;

    @AfterAll
    static void stopWorkers() {
        WORKERS.values().forEach(Process::destroyForcibly);
    }

    @AfterAll
    static void deleteQueue(@Autowired ConnectionFactory connectionFactory) {
        RabbitTemplate rabbit = new RabbitTemplate(connectionFactory);
        rabbit.execute(channel -> channel.queueDelete(QUEUE));
        rabbit.execute(channel -> channel.queueDelete(QUEUE + ".nobody"));
    }

    /** Starts worker JVMs until {@code n} are alive and consuming. */
    void workers(int n) throws Exception {
        WORKERS.values().removeIf(p -> !p.isAlive());
        while (WORKERS.size() < n) {
            String name = "worker-" + ++started;
            WORKERS.put(name, JobTestSupport.launch(cli(settings(true), List.of("worker")),
                    WORK.resolve(name + ".log")));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (remote.broker().consumers() < n) {
            for (Map.Entry<String, Process> w : WORKERS.entrySet()) {
                assertThat(w.getValue().isAlive()).as(w.getKey() + " died: " + Files.readString(WORK.resolve(
                        w.getKey() + ".log"))).isTrue();
            }
            assertThat(System.nanoTime()).as("workers did not start consuming").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** {@code host:pid} of a worker JVM, as {@link WorkerIdentity} records it. */
    static String identity(Process p) {
        String self = WorkerIdentity.current();
        return self.substring(0, self.lastIndexOf(':') + 1) + p.pid();
    }

    @Test
    @Order(1)
    void twoWorkersEvaluateExactlyLikeOnePass() throws Exception {
        workers(2);
        Map<String, String> args = TinyEval.args(TinyEval.models().subList(0, 1), WORK.resolve("eval"), 4, 8);
        JobTestSupport.complete(operator, eval, TinyByteify.parameters(args));
        List<Map<String, Double>> distributed = TinyEval.fromReport(WORK.resolve("eval/report.json"));
        assertThat(distributed).isEqualTo(TinyEval.singlePass(args));
        evalFigures = distributed.get(0);
        // each worker ran at least one partition, and the manager none
        List<String> ran = workersOf(WORK.resolve("eval/report.json"));
        assertThat(ran).containsExactlyInAnyOrderElementsOf(WORKERS.values().stream()
                .map(RemotePartitioningTest::identity).toList());
    }

    @Test
    @Order(2)
    void aWorkerKilledMidPartitionFailsTheStepAndTheRestartCompletes() throws Exception {
        workers(2);
        Map<String, String> args = TinyEval.args(TinyEval.models().subList(0, 1), WORK.resolve("eval-killed"), 4,
                8);
        JobParameters params = TinyByteify.parameters(args);
        CompletableFuture<JobExecution> run = CompletableFuture.supplyAsync(() -> start(eval, params));
        Map.Entry<String, Process> victim = WORKERS.entrySet().iterator().next();
        StepExecution partition = awaitPartition(eval, params, s -> s.getStatus() == BatchStatus.STARTED
                && identity(victim.getValue()).equals(s.getExecutionContext().getString(WorkerIdentity.KEY, "")), run);
        victim.getValue().destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the broker
        long killed = System.nanoTime();
        JobExecution failed = run.get(FAIL_WITHIN_SECONDS + 60, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(seconds).as("seconds from the kill to the failed step").isLessThanOrEqualTo(FAIL_WITHIN_SECONDS);
        StepExecution lost = repository.getStepExecution(partition.getId());
        assertThat(lost.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(lost.getExitStatus().getExitDescription()).contains("its worker was lost");
        List<String> completed = repository.getJobExecution(failed.getId()).getStepExecutions().stream()
                .filter(s -> s.getStepName().startsWith("evalPartition:") && s.getStatus() == BatchStatus.COMPLETED)
                .map(StepExecution::getStepName).toList();

        JobExecution restarted = operator.restart(failed); // one worker left
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<String> rerun = restarted.getStepExecutions().stream()
                .filter(s -> s.getStepName().startsWith("evalPartition:")).map(StepExecution::getStepName).toList();
        assertThat(rerun).hasSize(4 - completed.size()).doesNotContainAnyElementsOf(completed);
        // the same figures as the uninterrupted run, documents counted once
        Map<String, Double> figures = TinyEval.fromReport(WORK.resolve("eval-killed/report.json")).get(0);
        assertThat(figures).isEqualTo(evalFigures != null ? evalFigures : TinyEval.singlePass(args).get(0));
        assertThat(figures.get("documents")).isEqualTo(8.0);
    }

    @Test
    @Order(3)
    void aSweepSurvivesTheLossOfAWorkerRunningOneOfItsTrainings() throws Exception {
        workers(2);
        Path out = WORK.resolve("sweep");
        JobParameters params = TinyByteify.parameters(TinySweep.args(TinySweep.grid(out), out));
        CompletableFuture<JobExecution> run = CompletableFuture.supplyAsync(() -> start(sweep, params));
        StepExecution training = awaitPartition(sweep, params, s -> s.getStepName().startsWith("sweepRun:")
                && s.getStatus() == BatchStatus.STARTED && Files.exists(out.resolve("runs").resolve(
                        s.getStepName().substring("sweepRun:".length())).resolve("checkpoints/step-000001/state.json")),
                run);
        String where = training.getExecutionContext().getString(WorkerIdentity.KEY);
        Process victim = WORKERS.values().stream().filter(p -> identity(p).equals(where)).findFirst().orElseThrow();
        victim.destroyForcibly();
        JobExecution failed = run.get(FAIL_WITHIN_SECONDS + 120, TimeUnit.SECONDS);
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);

        JobExecution restarted = operator.restart(failed);
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        String table = Files.readString(out.resolve(SweepJobConfiguration.TABLE));
        assertThat(table.lines().filter(l -> l.startsWith("| run-"))).hasSize(4);
        // the lost training was recovered and resumed: its run has two executions, the second a restart
        String name = training.getStepName().substring("sweepRun:".length());
        SweepGrid grid = SweepGrid.read(out.resolve("grid.json"));
        JobInstance instance = repository.getJobInstance("finetune", TinyByteify.parameters(grid.runParameters(
                grid.points().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(), out)));
        assertThat(repository.getJobExecutions(instance)).hasSize(2);
        assertThat(out.resolve("runs").resolve(name).resolve("final/model.safetensors")).exists();
    }

    @Test
    @Order(4)
    void badConfigurationIsRefusedNamingIt() throws Exception {
        Map<String, String> args = TinyEval.args(TinyEval.models().subList(0, 1), WORK.resolve("bad"), 2, 2);
        List<String> start = new ArrayList<>(List.of("start", "job=eval"));
        args.forEach((k, v) -> start.add(k + "=" + v));

        Map<String, String> noBroker = settings(true);
        noBroker.put("spring.rabbitmq.port", "1");
        Map<String, String> nobody = settings(true);
        nobody.put("bolmo.batch.partitions.queue", QUEUE + ".nobody");
        nobody.put("bolmo.batch.partitions.worker-wait", "2s");
        Map<String, String> privateDb = settings(true);
        privateDb.put("spring.datasource.url", JobTestSupport.h2Url(WORK.resolve("private")));
        privateDb.put("spring.datasource.username", "sa");
        privateDb.put("spring.datasource.password", "");
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("no-broker", noBroker);
        cases.put("no-worker", nobody);
        cases.put("private-db", privateDb);
        Map<String, Process> managers = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            List<String> cmd = new ArrayList<>(start);
            cmd.set(cmd.indexOf("output=" + args.get("output")), "output=" + WORK.resolve("bad-" + c.getKey()));
            managers.put(c.getKey(), JobTestSupport.launch(cli(c.getValue(), cmd), WORK.resolve(c.getKey() + ".log")));
        }
        Map<String, String> expected = Map.of(
                "no-broker", "the RabbitMQ broker at amqp://" + noBroker.get("spring.rabbitmq.host") + ":1/ is"
                        + " unreachable",
                "no-worker", "no worker consumes queue '" + QUEUE + ".nobody'",
                "private-db", "remote partitioning needs a job repository that the manager and every worker share");
        for (Map.Entry<String, Process> m : managers.entrySet()) {
            assertThat(m.getValue().waitFor(180, TimeUnit.SECONDS)).as(m.getKey()).isTrue();
            String log = Files.readString(WORK.resolve(m.getKey() + ".log"));
            assertThat(m.getValue().exitValue()).as(m.getKey() + ": " + log).isNotZero();
            assertThat(log).as(m.getKey()).contains(expected.get(m.getKey()));
        }
    }

    private JobExecution start(Job job, JobParameters params) {
        try {
            return operator.start(job, params);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (while {@code run} goes on) for a partition of the running {@code job} that {@code which} selects. */
    private StepExecution awaitPartition(Job job, JobParameters params, Predicate<StepExecution> which,
            CompletableFuture<JobExecution> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (true) {
            assertThat(run.isDone()).as("the job ended before the partition to kill ran: " + (run.isDone()
                    ? run.get().getStatus() : "")).isFalse();
            assertThat(System.nanoTime()).as("no such partition ran in time").isLessThan(deadline);
            JobInstance instance = repository.getJobInstance(job.getName(), params);
            JobExecution e = instance == null ? null : repository.getLastJobExecution(instance);
            Optional<StepExecution> found = e == null ? Optional.empty()
                    : repository.getJobExecution(e.getId()).getStepExecutions().stream().filter(which).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
    }

    private static List<String> workersOf(Path reportJson) throws Exception {
        List<String> out = new ArrayList<>();
        for (com.google.gson.JsonElement p : com.google.gson.JsonParser.parseString(Files.readString(reportJson))
                .getAsJsonObject().getAsJsonArray("partitions")) {
            String w = p.getAsJsonObject().get("worker").getAsString();
            if (!out.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
