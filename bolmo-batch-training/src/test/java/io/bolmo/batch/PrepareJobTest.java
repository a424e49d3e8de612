package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code prepare} job: its shards feed {@code byteify} and a chat {@code finetune} to the same weights as the
 * corpus itself, and what is not a shard directory is refused naming it before anything runs.
 */
class PrepareJobTest extends JobRepositoryTestBase {

    @Autowired
    Job prepare;
    @Autowired
    Job byteify;
    @Autowired
    Job finetune;

    static Map<String, String> args(Path output, int partitions) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("corpus", TinyByteify.root().resolve("corpus.txt").toString());
        a.put("tokenizer", TinyByteify.root().resolve("teacher/tokenizer.json").toString());
        a.put("output", output.toString());
        a.put("partitions", Integer.toString(partitions));
        return a;
    }

    @Test
    void shardsFeedByteifyToTheSameWeightsAsTheCorpus() throws Exception {
        Path shards = WORK.resolve("shards");
        JobExecution p = JobTestSupport.complete(operator, prepare, TinyByteify.parameters(args(shards, 2)));
        assertThat(p.getStepExecutions()).filteredOn(s -> s.getStepName().startsWith("preparePartition:")).hasSize(2);
        assertThat(shards.resolve("manifest.json")).exists();
        assertThat(shards.resolve("shard-00001.safetensors")).exists();

        Path out = WORK.resolve("from-shards");
        Map<String, String> a = TinyByteify.args(out);
        a.put("corpus", shards.toString());
        JobTestSupport.complete(operator, byteify, TinyByteify.parameters(a));
        Path ref = referenceRun(byteify, TinyByteify.parameters(WORK.resolve("reference")), WORK.resolve("reference"));
        assertThat(TinyByteify.maxAbsDiff(ref.resolve("stage2/final"), out.resolve("stage2/final")))
                .isLessThanOrEqualTo(1e-6);
    }

    @Test
    void chatShardsFeedFinetuneToTheSameWeightsAsTheChats() throws Exception {
        Path shards = WORK.resolve("chat-shards");
        Map<String, String> p = args(shards, 3);
        p.put("corpus", TinyFinetune.root().resolve("chats.jsonl").toString());
        p.put("format", "chat");
        JobTestSupport.complete(operator, prepare, TinyByteify.parameters(p));

        Path out = WORK.resolve("ft-from-shards");
        Map<String, String> a = TinyFinetune.args(out);
        a.put("data", shards.toString());
        JobTestSupport.complete(operator, finetune, TinyByteify.parameters(a));
        Path ref = referenceRun(finetune, TinyByteify.parameters(TinyFinetune.args(WORK.resolve("ft-reference"))),
                WORK.resolve("ft-reference"));
        assertThat(TinyByteify.maxAbsDiff(ref.resolve("final"), out.resolve("final"))).isLessThanOrEqualTo(1e-6);

        // text shards are not chats: refused naming the directory and both formats
        Map<String, String> text = TinyFinetune.args(WORK.resolve("ft-from-text-shards"));
        text.put("data", prepared("text-shards").toString());
        assertThatThrownBy(() -> operator.start(finetune, TinyByteify.parameters(text)))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining(WORK.resolve("text-shards") + " holds format=text shards; this run reads"
                        + " format=chat");
    }

    @Test
    void aShardDirectoryThatIsNotOneIsNamed() throws Exception {
        Path shards = prepared("shards-1");
        Path half = WORK.resolve("half-shards");
        Files.createDirectories(half);
        Files.copy(shards.resolve("shard-00000.safetensors"), half.resolve("shard-00000.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> a = TinyByteify.args(WORK.resolve("from-half"));
        a.put("corpus", half.toString());
        assertThatThrownBy(() -> operator.start(byteify, TinyByteify.parameters(a)))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("corpus = " + half + " is invalid: " + half
                        + " is not a complete shard directory: it has no manifest.json");
        Map<String, String> f = TinyFinetune.args(WORK.resolve("ft-from-half"));
        f.put("data", half.toString());
        f.put("format", "text");
        assertThatThrownBy(() -> operator.start(finetune, TinyByteify.parameters(f)))
                .isInstanceOf(InvalidJobParametersException.class).hasMessageContaining("data")
                .hasMessageContaining(half + " is not a complete shard directory: it has no manifest.json");
        assertThat(WORK.resolve("from-half")).doesNotExist();

        // an output that holds other files is refused before anything is written
        Files.createDirectories(WORK.resolve("not-shards"));
        Files.writeString(WORK.resolve("not-shards").resolve("notes.txt"), "x");
        assertThatThrownBy(() -> operator.start(prepare, TinyByteify.parameters(args(WORK.resolve("not-shards"), 1))))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("job parameter 'output'").hasMessageContaining("not a shard directory");
    }

    /** Text shards of the byteify corpus in one partition, prepared once. */
    private Path prepared(String name) throws Exception {
        return referenceRun(prepare, TinyByteify.parameters(args(WORK.resolve(name), 1)), WORK.resolve(name));
    }
}
