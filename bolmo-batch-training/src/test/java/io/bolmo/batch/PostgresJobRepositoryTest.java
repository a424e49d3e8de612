package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The job on a real PostgreSQL repository (env {@code BOLMO_TEST_POSTGRES_URL}, {@code _USER}, {@code _PASSWORD};
 * skipped without): stopped after its first chunk, restarted to completion, its checkpoint record in the database.
 */
@SpringBootTest
@EnabledIfEnvironmentVariable(named = "BOLMO_TEST_POSTGRES_URL", matches = ".+")
class PostgresJobRepositoryTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> System.getenv("BOLMO_TEST_POSTGRES_URL"));
        r.add("spring.datasource.username", () -> env("BOLMO_TEST_POSTGRES_USER"));
        r.add("spring.datasource.password", () -> env("BOLMO_TEST_POSTGRES_PASSWORD"));
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "" : v;
    }

    @Autowired
    JobOperator operator;
    @Autowired
    Job byteify;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JobRepository repository;

    @Test
    void stopAndRestartOnPostgres() throws Exception {
        Path out = Files.createTempDirectory("bolmo-batch-pg");
        try {
            JobExecution stopped = JobTestSupport.stopOnceWritten(operator, byteify, TinyByteify.parameters(out),
                    out.resolve("stage1/checkpoints/step-000003/state.json"));

            JobExecution done = operator.restart(stopped);
            assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(out.resolve("stage2/final/model.safetensors")).exists();
            // read back from the database, not from the in-memory execution
            JobExecution stored = repository.getJobExecution(done.getId());
            assertThat(stored.getStepExecutions()).filteredOn(s -> s.getStepName().equals("stage2")).singleElement()
                    .satisfies(s -> assertThat(s.getExecutionContext().getString(ByteifyTasklet.CHECKPOINT))
                            .endsWith("step-000006"));
            assertThat(jdbc.queryForObject("select count(*) from BATCH_JOB_EXECUTION where JOB_INSTANCE_ID = ?",
                    Long.class, done.getJobInstance().getInstanceId())).isEqualTo(2L);
        } finally {
            TinyByteify.deleteQuietly(out);
        }
    }

}
