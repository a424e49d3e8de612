package io.bolmo.batch;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Job tests on one H2 file repository under the shared fixture (one Spring context for all of them). */
@SpringBootTest
abstract class JobRepositoryTestBase {

    static final Path WORK = TinyByteify.root().resolve("jobs");

    @DynamicPropertySource
    static void repository(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> JobTestSupport.h2Url(WORK.resolve("db")));
    }

    private static final Set<Path> COMPLETED = new HashSet<>();

    @Autowired
    JobOperator operator;

    /**
     * {@code output}, after {@code job} has run there to completion once in this JVM: the uninterrupted run that a
     * test class's interrupted runs must reproduce.
     */
    Path referenceRun(Job job, JobParameters parameters, Path output) throws Exception {
        synchronized (COMPLETED) {
            if (!COMPLETED.contains(output)) {
                JobTestSupport.complete(operator, job, parameters);
                COMPLETED.add(output);
            }
        }
        return output;
    }
}
