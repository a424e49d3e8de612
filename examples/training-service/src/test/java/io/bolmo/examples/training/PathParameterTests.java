package io.bolmo.examples.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonObject;
import io.bolmo.batch.JobDescription;
import io.bolmo.batch.JobParameterDefinition;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Generated from the jobs' parameter definitions: for every parameter of every job that names a path, a value outside
 * the roots and a directory inside them holding a symbolic link that leads out are both refused (400, naming the
 * parameter) before the job reads anything, and no error quotes an outside file. A job that gains a path parameter
 * gains its tests here.
 */
class PathParameterTests extends ServiceTestBase {

    /** A line in every outside file: no response may contain it. */
    private static final String SECRET = "TOP-SECRET-7f3a";

    @Autowired
    List<JobDescription> jobs;

    @TestFactory
    Stream<DynamicTest> everyPathParameterOfEveryJobIsConfinedAllTheWayDown() throws Exception {
        Path outside = outsideFixture();
        assertThat(jobs).extracting(JobDescription::job).contains("byteify", "finetune", "merge", "pretrain", "eval",
                "prepare", "sweep");
        return jobs.stream().flatMap(job -> job.paths().stream().flatMap(p -> Stream.of(
                dynamicTest(job.job() + " " + p.name() + " outside the roots",
                        () -> refused(job, p, outside.resolve("model").toString(), "outside")),
                dynamicTest(job.job() + " " + p.name() + " with a link below it leading out",
                        () -> refused(job, p, linkedDirectory(job, p, outside), "leads outside")))));
    }

    private void refused(JobDescription job, JobParameterDefinition p, String value, String why) throws Exception {
        JsonObject body = validRequest(job);
        body.addProperty(p.name(), value);
        HttpResponse<String> r = post("/api/jobs/" + job.job() + "/executions", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("parameter '" + p.name() + "'").contains(why).doesNotContain(SECRET);
    }

    /** Every required parameter of {@code job} set to something that exists under the roots. */
    private static JsonObject validRequest(JobDescription job) {
        JsonObject o = new JsonObject();
        for (JobParameterDefinition d : job.parameters()) {
            if (d.required()) {
                o.addProperty(d.name(), d.kind() == JobParameterDefinition.Kind.OUTPUT ? "fresh-" + job.job()
                        : d.kind() == JobParameterDefinition.Kind.INPUT ? "model" : "1");
            }
        }
        return o;
    }

    /**
     * A directory under the parameter's root that looks like a model (its own {@code config.json}) and whose
     * {@code model.safetensors} and {@code notes.txt} are symbolic links to outside files.
     */
    private static String linkedDirectory(JobDescription job, JobParameterDefinition p, Path outside)
            throws Exception {
        boolean output = p.kind() == JobParameterDefinition.Kind.OUTPUT;
        String name = "links-" + job.job() + "-" + p.name();
        Path dir = (output ? RUNS : DATA).resolve(name);
        io.bolmo.io.AtomicFiles.deleteTree(dir);
        Files.createDirectories(dir);
        Files.copy(DATA.resolve("model/config.json"), dir.resolve("config.json"));
        Files.createSymbolicLink(dir.resolve("model.safetensors"), outside.resolve("model/model.safetensors"));
        Files.createSymbolicLink(dir.resolve("notes.txt"), outside.resolve("secret.txt"));
        return name;
    }

    /** Outside both roots: a model directory whose config.json and weights hold the secret, and a secret file. */
    private static Path outsideFixture() throws Exception {
        Path outside = Files.createDirectories(WORK.resolve("outside-the-roots"));
        Files.createDirectories(outside.resolve("model"));
        Files.writeString(outside.resolve("secret.txt"), SECRET + "\n");
        Files.writeString(outside.resolve("model/config.json"), "{\"model_type\": \"" + SECRET + "\"}");
        Files.writeString(outside.resolve("model/model.safetensors"), SECRET);
        Files.writeString(outside.resolve("model/tokenizer.json"), SECRET);
        return outside;
    }
}
