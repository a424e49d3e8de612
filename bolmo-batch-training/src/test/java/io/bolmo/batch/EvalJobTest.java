package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code eval} job with local partitions: its figures equal one {@code bolmo eval} pass over the same documents
 * exactly (not within a tolerance), for two checkpoints at once, in any number of partitions.
 */
class EvalJobTest extends JobRepositoryTestBase {

    @Autowired
    Job eval;

    @Test
    void partitionedEvalEqualsASinglePassExactly() throws Exception {
        Map<String, String> args = TinyEval.args(TinyEval.models(), WORK.resolve("eval-3"), 3, 6);
        JobExecution e = JobTestSupport.complete(operator, eval, TinyByteify.parameters(args));
        assertThat(e.getStepExecutions()).filteredOn(s -> s.getStepName().startsWith("evalPartition:")).hasSize(3);
        Path report = WORK.resolve("eval-3").resolve(EvalJobConfiguration.REPORT_JSON);
        List<Map<String, Double>> job = TinyEval.fromReport(report);
        List<Map<String, Double>> single = TinyEval.singlePass(args);
        assertThat(job).isEqualTo(single);
        assertThat(single.get(0).get("documents")).isEqualTo(6.0);
        assertThat(single.get(1).get("bits_per_byte")).isNotEqualTo(single.get(0).get("bits_per_byte"));
        assertThat(Files.readString(WORK.resolve("eval-3").resolve(EvalJobConfiguration.REPORT_MD)))
                .contains("| bits per byte (held-out) |").contains("partition-002");
    }

    @Test
    void aPartitionCountOfZeroAndAnEngineChosenPerJvmAreRefusedNamingThem() {
        Map<String, String> args = TinyEval.args(List.of(TinyByteify.root().resolve("teacher")), WORK.resolve("e0"),
                0, 4);
        assertThatThrownBy(() -> operator.start(eval, TinyByteify.parameters(args)))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("job parameter 'partitions' = '0' is invalid: must be > 0");
        // auto would choose the engine per worker JVM
        args.put("partitions", "2");
        args.put("engine", "auto");
        assertThatThrownBy(() -> operator.start(eval, TinyByteify.parameters(args)))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("job parameter 'engine' = 'auto' is invalid: allowed: djl, java");
    }
}
