package io.bolmo.batch;

import java.nio.file.Path;
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
        r.add("spring.datasource.url", () -> "jdbc:h2:file:" + WORK.resolve("db/jobs") + ";FILE_LOCK=FS");
    }

    @Autowired
    JobOperator operator;
}
