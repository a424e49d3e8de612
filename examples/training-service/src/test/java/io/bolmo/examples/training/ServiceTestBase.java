package io.bolmo.examples.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.config.AttentionType;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.StudentInit;
import io.bolmo.train.data.ChatSetGenerator;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service on a random port with its roots and H2 file under {@code target/} and a configured user: the data root
 * holds a tiny Bolmo model (random weights, d 64) and a generated chat set. All test classes share the context (and its one-run-at-a-time
 * rule), so every test ends the runs it starts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ServiceTestBase {

    static final Path WORK = Path.of("target", "service-test").toAbsolutePath();
    static final Path DATA = WORK.resolve("data");
    static final Path RUNS = WORK.resolve("runs");
    /** The user the tests configure ({@code spring.security.user.*}). */
    static final String USER = "trainer";
    static final String PASSWORD = "test-password-4711";
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void roots(DynamicPropertyRegistry r) {
        fixture();
        r.add("bolmo.training.data-root", DATA::toString);
        r.add("bolmo.training.output-root", RUNS::toString);
        r.add("spring.datasource.url", () -> "jdbc:h2:file:" + WORK.resolve("db/jobs") + ";FILE_LOCK=FS");
        r.add("spring.security.user.name", () -> USER);
        r.add("spring.security.user.password", () -> PASSWORD);
    }

    /** The {@code Authorization} header of the test user. */
    static String basicAuth() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static boolean built;

    static synchronized void fixture() {
        if (built) {
            return;
        }
        try {
            io.bolmo.io.AtomicFiles.deleteTree(WORK);
            Files.createDirectories(DATA);
            Files.createDirectories(RUNS);
            Path tokenizer = io.bolmo.tokenize.BundledTokenizer.copyTo(DATA);
            int vocab = SubwordVocabulary.load(tokenizer).size();
            OlmoConfig tc = new OlmoConfig("olmo3", vocab, 64, 128, 2, 4, 4, 16, 1e-6, 500000,
                    List.of(AttentionType.SLIDING_ATTENTION, AttentionType.FULL_ATTENTION), 16, false, null, 8192,
                    8195);
            BolmoConfig sc = StudentInit.configFor(tc, 1, 1, 4, 96, vocab, "tokenizer.json");
            try (NDManager m = NDManager.newBaseManager("PyTorch");
                    OlmoModel teacher = OlmoModel.create(tc, Weights.from(m, new RandomWeights(3)));
                    BolmoModel student = StudentInit.student(sc, teacher, 5, m)) {
                HfCheckpointWriter.to(DATA.resolve("model")).config(sc.toJson()).weights(student.weights().all())
                        .copy(tokenizer).write();
            }
            Path corpus = DATA.resolve("corpus.txt");
            Files.writeString(corpus, io.bolmo.bench.BenchResources.sampleText().replace("\n\n", "\n"));
            try (Corpus c = Corpus.open(corpus, CorpusOptions.DEFAULT)) {
                ChatSetGenerator.write(DATA.resolve("chats.jsonl"),
                        ChatSetGenerator.generate(c, ChatSetGenerator.Options.defaults(60, 1)));
            }
            built = true;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the service test fixture", e);
        }
    }

    private static InputStream resource(String name) {
        return ServiceTestBase.class.getResourceAsStream(name);
    }

    /** A finetune request body: relative paths (resolved against the roots). */
    static String finetuneBody(String output, int steps) {
        return "{\"model\":\"model\",\"data\":\"chats.jsonl\",\"format\":\"chat\",\"output\":\"" + output
                + "\",\"steps\":" + steps + ",\"chunk-size\":1,\"batch-size\":1,\"seq-len\":192,\"max-patches\":96,"
                + "\"lr\":\"3e-3\",\"held-out-every\":5,\"eval-batches\":1}";
    }

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A POST as an API client: the test user's Basic credentials, JSON. */
    protected HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", basicAuth()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET as an API client, with the test user's Basic credentials. */
    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", basicAuth()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    protected JsonObject execution(long id) throws Exception {
        HttpResponse<String> r = get("/api/executions/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** Polls execution {@code id} until {@code done} holds (at most {@code seconds}). */
    protected JsonObject await(long id, Predicate<JsonObject> done, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonObject e = execution(id);
        while (!done.test(e)) {
            assertThat(System.nanoTime()).as("timed out; last state " + e).isLessThan(deadline);
            Thread.sleep(100);
            e = execution(id);
        }
        return e;
    }

    static boolean ended(JsonObject e) {
        String s = e.get("status").getAsString();
        return !(s.equals("STARTING") || s.equals("STARTED") || s.equals("STOPPING"));
    }

    static long step(JsonObject e) {
        return e.getAsJsonObject("progress").get("step").getAsLong();
    }

    /** Stops {@code id} if it runs and waits until it has ended. */
    protected void stopAndWait(long id) throws Exception {
        if (!ended(execution(id))) {
            post("/api/executions/" + id + "/stop", "");
        }
        await(id, ServiceTestBase::ended, 120);
    }
}
