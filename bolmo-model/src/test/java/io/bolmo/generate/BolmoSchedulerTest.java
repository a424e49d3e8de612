package io.bolmo.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.engine.djl.DjlBolmoEngine;
import io.bolmo.nn.BolmoModel;
import io.bolmo.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Continuous batching on the golden models: what a generation produces does not depend on which others share its
 * steps, rows leave within one step of stopping, and one failing generation ends alone.
 */
class BolmoSchedulerTest extends GoldenManagerTest {

    /** A request of the mix: prompt, options, and after how many scheduler steps it is submitted. */
    private record Job(int[] prompt, GenerationOptions options, long submitAtStep) {}

    /** Text and every step's fused id of one generation. */
    private record Run(GenerationResult result, List<Integer> ids) {}

    /**
     * Seven generations of different prompts (a lone BOS to 292 bytes), limits (3 to 120 bytes), greedy and seeded
     * sampling, a stop sequence, submitted at different steps into 3 slots with a queue, so rows join and leave at
     * different steps and the global model runs on varying subsets: each equals the same request run alone,
     * byte for byte and id for id; also when rows at a boundary are held back up to 3 steps ({@code holdSteps}).
     */
    @ParameterizedTest(name = "{0}, hold {1}")
    @CsvSource({"tiny-olmo3, 0", "tiny-olmo2, 0", "tiny-olmo3, 3"})
    void outputsUnderConcurrencyEqualEachRequestAlone(String modelName, int holdSteps) throws Exception {
        try (NDManager scope = manager.newSubManager(); BolmoModel model = Golden.loadModel(scope, modelName)) {
            List<Job> jobs = mix(modelName);
            BolmoGenerator alone = new BolmoGenerator(DjlBolmoEngine.over(model), trie);
            List<Run> expected = new ArrayList<>();
            for (Job job : jobs) {
                expected.add(runAlone(alone, job));
            }
            Map<Long, List<Integer>> idsByStep = new ConcurrentHashMap<>();
            List<Run> batched;
            try (BolmoScheduler scheduler = new BolmoScheduler(DjlBolmoEngine.over(model), trie, new BolmoScheduler.Options(3, 8, holdSteps))) {
                batched = runTogether(scheduler, jobs, idsByStep);
                assertThat(scheduler.heldRowSteps() > 0).as("rows were held").isEqualTo(holdSteps > 0);
            }
            for (int i = 0; i < jobs.size(); i++) {
                assertThat(batched.get(i).ids()).as("ids of request %d", i).isEqualTo(expected.get(i).ids());
                assertThat(batched.get(i).result().text()).as("text of request %d", i)
                        .isEqualTo(expected.get(i).result().text());
                assertThat(batched.get(i).result().finishReason()).isEqualTo(expected.get(i).result().finishReason());
                assertThat(batched.get(i).result().patches()).isEqualTo(expected.get(i).result().patches());
            }
            assertThat(idsByStep.values()).as("steps where some rows ended a patch and others did not")
                    .anyMatch(ids -> ids.size() > 1 && ids.stream().anyMatch(BolmoSchedulerTest::endsPatch)
                            && !ids.stream().allMatch(BolmoSchedulerTest::endsPatch));
        }
    }

    /**
     * The numerics behind the equality above: a row's logits in a batch of three (rows at different patch positions,
     * global steps on subsets) against the same sequence stepped alone. Batched matmuls may sum in another order,
     * so bitwise equality is not promised, but the difference must stay at float32 rounding.
     */
    @Test
    void batchedLogitsMatchLogitsAlone() {
        try (NDManager scope = manager.newSubManager(); BolmoModel model = Golden.loadModel(scope, "tiny-olmo3")) {
            String[] ids = {"ascii", "python_code", "single_char"};
            Engine engine = DjlBolmoEngine.over(model);
            List<AloneSequence> alone = new ArrayList<>();
            List<Engine.Sequence> rows = new ArrayList<>(); // the same prompts as rows of one batch
            List<ByteUnits> rowUnits = new ArrayList<>();
            int[] next = new int[ids.length];
            float maxDiff = 0;
            try (Engine.Batch batch = engine.newBatch()) {
                for (int i = 0; i < ids.length; i++) {
                    alone.add(new AloneSequence(engine, trie));
                    rowUnits.add(new ByteUnits(trie, GenerationOptions.greedy(1)));
                    float[] a = alone.get(i).prefill(prompt(ids[i]));
                    rows.add(engine.prefill(prompt(ids[i]), rowUnits.get(i).prefillRows(prompt(ids[i])), () -> false));
                    batch.join(rows.get(i));
                    int last = prompt(ids[i])[prompt(ids[i]).length - 1];
                    next[i] = Sampler.argmax(a, new int[] {last, last + BolmoConfig.PLAIN_VOCAB});
                }
                boolean[] all = {true, true, true};
                for (int step = 0; step < 80; step++) {
                    int[] sub = new int[ids.length];
                    for (int i = 0; i < ids.length; i++) {
                        sub[i] = rowUnits.get(i).row(next[i]);
                    }
                    float[][] batched = batch.step(next, sub, all);
                    for (int i = 0; i < ids.length; i++) {
                        float[] single = alone.get(i).step(next[i]);
                        maxDiff = Math.max(maxDiff, TinyModels.maxAbsDiff(batched[i], single));
                        next[i] = TinyModels.argmax(single, BolmoConfig.BYTE_OFFSET, BolmoConfig.FUSED_VOCAB);
                    }
                }
            } finally {
                alone.forEach(AloneSequence::close);
                rows.forEach(Engine.Sequence::close);
            }
            System.out.println("batched vs alone, max |logit difference| over 80 steps x 3 rows: " + maxDiff);
            assertThat(maxDiff).isLessThanOrEqualTo(2e-5f); // 5.0e-6 measured
        }
    }

    @Test
    void cancellationFreesTheSlotWithinOneStep() throws Exception {
        try (NDManager scope = manager.newSubManager(); BolmoModel model = Golden.loadModel(scope, "tiny-olmo3");
                BolmoScheduler scheduler = new BolmoScheduler(DjlBolmoEngine.over(model), trie, BolmoScheduler.Options.of(2))) {
            CompletableFuture<GenerationResult> other = scheduler.submit(prompt("ascii"), endless(), null);
            AtomicLong cancelledAt = new AtomicLong(-1);
            AtomicInteger steps = new AtomicInteger();
            CompletableFuture<GenerationResult> cancelled = scheduler.submit(prompt("python_code"), endless(),
                    new GenerationListener() {
                        @Override
                        public void onStep(int fusedId) {
                            steps.incrementAndGet();
                        }

                        @Override
                        public boolean isCancelled() {
                            if (steps.get() >= 10) {
                                cancelledAt.compareAndSet(-1, scheduler.steps());
                                return true;
                            }
                            return false;
                        }
                    });
            AtomicLong endedAt = new AtomicLong();
            AtomicInteger activeAtEnd = new AtomicInteger();
            GenerationResult r = cancelled.whenComplete((res, err) -> {
                endedAt.set(scheduler.steps());
                activeAtEnd.set(scheduler.active());
            }).get(60, TimeUnit.SECONDS);

            assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(steps.get()).as("no step after the cancellation was seen").isEqualTo(10);
            assertThat(endedAt.get() - cancelledAt.get()).as("steps between cancel and freed slot").isLessThanOrEqualTo(1);
            assertThat(activeAtEnd.get()).as("rows left when the cancelled one completed").isEqualTo(1);
            // the freed slot takes a new generation while the other still runs
            assertThat(scheduler.submit(prompt("single_char"), GenerationOptions.greedy(4), null)
                    .get(60, TimeUnit.SECONDS).generatedUnits()).isEqualTo(4);

            long before = scheduler.steps();
            other.cancel(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (scheduler.admitted() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(scheduler.admitted()).isZero();
            assertThat(scheduler.steps() - before).as("steps until a cancelled future left").isLessThanOrEqualTo(1);
            assertThat(scheduler.active()).isZero();
        }
    }

    /** A generation cancelled while its prompt is prefilled stops between two chunks and frees its slot. */
    @Test
    void aGenerationCancelledDuringItsPrefillEndsThereAndFreesItsSlot() throws Exception {
        try (NDManager scope = manager.newSubManager(); BolmoModel model = Golden.loadModel(scope, "tiny-olmo3");
                BolmoScheduler scheduler = new BolmoScheduler(DjlBolmoEngine.over(model, 8), trie,
                        BolmoScheduler.Options.of(1))) {
            AtomicInteger asked = new AtomicInteger();
            List<Integer> steps = new ArrayList<>();
            GenerationResult r = scheduler.submit(prompt("paragraph"), endless(), new GenerationListener() {
                @Override
                public void onStep(int fusedId) {
                    steps.add(fusedId);
                }

                @Override
                public boolean isCancelled() {
                    return asked.incrementAndGet() >= 4; // once before the prefill, then before each chunk
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(r.generatedUnits()).isZero();
            assertThat(steps).as("no choice after a cancelled prefill").isEmpty();
            assertThat(asked).as("stopped at the third chunk of " + prompt("paragraph").length / 8).hasValue(4);
            assertThat(scheduler.admitted()).isZero();
            assertThat(scheduler.submit(prompt("ascii"), GenerationOptions.greedy(4), null).get(60, TimeUnit.SECONDS)
                    .generatedUnits()).isEqualTo(4);
        }
    }

    @Test
    void badInputGivesAClearError() {
        assertThatThrownBy(() -> new BolmoScheduler.Options(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBatch = 0").hasMessageContaining(">= 1");
        assertThatThrownBy(() -> new BolmoScheduler.Options(2, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueCapacity = -1").hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new BolmoScheduler.Options(2, 0, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holdSteps = -2").hasMessageContaining(">= 0");
        try (NDManager scope = manager.newSubManager(); BolmoModel model = Golden.loadModel(scope, "tiny-olmo3");
                BolmoScheduler scheduler = new BolmoScheduler(DjlBolmoEngine.over(model), trie, BolmoScheduler.Options.of(1))) {
            CompletableFuture<GenerationResult> running = scheduler.submit(prompt("ascii"), endless(), null);
            assertThatThrownBy(() -> scheduler.submit(prompt("ascii"), GenerationOptions.greedy(4), null))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("all 1 slots (maxBatch) are busy")
                    .hasMessageContaining("queueCapacity = 0");
            assertThatThrownBy(() -> scheduler.submit(new int[] {72, 105}, GenerationOptions.greedy(4), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BOS (id 1), got id 72");
            assertThatThrownBy(() -> scheduler.submit(prompt("ascii"), null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("options = null");
            running.cancel(true);
        }
    }

    /** A generation whose listener throws fails alone; the one beside it and later ones run as if alone. */
    @Test
    void aFailingGenerationDoesNotStopTheOthers() throws Exception {
        try (NDManager scope = manager.newSubManager(); BolmoModel model = Golden.loadModel(scope, "tiny-olmo3");
                BolmoScheduler scheduler = new BolmoScheduler(DjlBolmoEngine.over(model), trie, new BolmoScheduler.Options(2, 4))) {
            GenerationOptions options = GenerationOptions.builder().maxNewBytes(60).stopAtEos(false).build();
            String expected = new BolmoGenerator(DjlBolmoEngine.over(model), trie).generate(prompt("ascii"), options, GenerationListener.NONE)
                    .text();
            CompletableFuture<GenerationResult> healthy = scheduler.submit(prompt("ascii"), options, null);
            CompletableFuture<GenerationResult> failing = scheduler.submit(prompt("repeated"), options,
                    new GenerationListener() {
                        @Override
                        public void onStep(int fusedId) {
                            if (scheduler.steps() > 5) {
                                throw new IllegalStateException("listener broke");
                            }
                        }
                    });
            assertThatThrownBy(() -> failing.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("listener broke");
            assertThat(healthy.get(60, TimeUnit.SECONDS).text()).isEqualTo(expected);
            assertThat(scheduler.submit(prompt("ascii"), options, null).get(60, TimeUnit.SECONDS).text())
                    .isEqualTo(expected);
            assertThat(scheduler.admitted()).isZero();
        }
    }

    /**
     * 1,000 generations through 8 slots (greedy and sampled, stop sequences, limits from 0 to 9 bytes, some cancelled
     * before they start) leave the live array count of the model's manager where it was.
     */
    @Test
    void aThousandRequestsLeaveNoArrays() throws Exception {
        try (NDManager scope = manager.newSubManager(); BolmoModel model = Golden.loadModel(scope, "tiny-olmo3");
                BolmoScheduler scheduler = new BolmoScheduler(DjlBolmoEngine.over(model), trie, new BolmoScheduler.Options(8, 1000))) {
            scheduler.generate(prompt("single_char"), GenerationOptions.greedy(4), null);
            int live = scope.getManagedArrays().size();
            List<CompletableFuture<GenerationResult>> all = new ArrayList<>();
            String[] prompts = {"single_char", "ascii", "utf8_multibyte", "chat_markup"};
            for (int i = 0; i < 1000; i++) {
                GenerationOptions.Builder b = GenerationOptions.builder().maxNewBytes(i % 10).stopAtEos(i % 2 == 0);
                if (i % 3 == 1) {
                    b.temperature(1).topK(40).seed((long) i);
                }
                if (i % 7 == 3) {
                    b.stop(List.of("e"));
                }
                CompletableFuture<GenerationResult> f = scheduler.submit(prompt(prompts[i % 4]), b.build(), null);
                if (i % 50 == 7) {
                    f.cancel(true);
                }
                all.add(f);
            }
            for (CompletableFuture<GenerationResult> f : all) {
                if (!f.isCancelled()) {
                    assertThat(f.get(120, TimeUnit.SECONDS).generatedUnits()).isLessThanOrEqualTo(9);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (scheduler.admitted() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(scheduler.admitted()).isZero();
            assertThat(scope.getManagedArrays()).hasSize(live);
        }
    }

    private List<Job> mix(String model) {
        List<Job> jobs = new ArrayList<>();
        jobs.add(new Job(prompt(model, "ascii"), GenerationOptions.builder().maxNewBytes(120).stopAtEos(false).build(), 0));
        jobs.add(new Job(prompt(model, "paragraph"), GenerationOptions.builder().maxNewBytes(40).stopAtEos(false).build(), 0));
        jobs.add(new Job(new int[] {BolmoConfig.BOS_ID}, GenerationOptions.builder().maxNewBytes(70).build(), 0));
        jobs.add(new Job(prompt(model, "utf8_multibyte"), GenerationOptions.builder().maxNewBytes(3).stopAtEos(false).build(), 5));
        jobs.add(new Job(prompt(model, "python_code"), GenerationOptions.builder().maxNewBytes(90).temperature(0.8)
                .topK(50).seed(11L).stopAtEos(false).build(), 12));
        jobs.add(new Job(prompt(model, "repeated"), GenerationOptions.builder().maxNewBytes(100).stop(List.of("e"))
                .stopAtEos(false).build(), 20));
        jobs.add(new Job(prompt(model, "chat_markup"), GenerationOptions.builder().maxNewBytes(50).stopAtEos(false).build(), 35));
        return jobs;
    }

    private static Run runAlone(BolmoGenerator generator, Job job) {
        List<Integer> ids = new ArrayList<>();
        GenerationResult r = generator.generate(job.prompt(), job.options(), new GenerationListener() {
            @Override
            public void onStep(int fusedId) {
                ids.add(fusedId);
            }
        });
        return new Run(r, ids);
    }

    /** Submits each job once the scheduler has taken its step count; records the ids each step fed. */
    private static List<Run> runTogether(BolmoScheduler scheduler, List<Job> jobs, Map<Long, List<Integer>> byStep)
            throws Exception {
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
        List<List<Integer>> ids = new ArrayList<>();
        for (Job job : jobs) {
            while (scheduler.steps() < job.submitAtStep()) {
                Thread.onSpinWait();
            }
            List<Integer> mine = new ArrayList<>();
            ids.add(mine);
            futures.add(scheduler.submit(job.prompt(), job.options(), new GenerationListener() {
                @Override
                public void onStep(int fusedId) {
                    mine.add(fusedId);
                    if (mine.size() > 1) { // the first choice comes from the prefill, between steps
                        byStep.computeIfAbsent(scheduler.steps(), s -> new ArrayList<>()).add(fusedId);
                    }
                }
            }));
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            runs.add(new Run(futures.get(i).get(120, TimeUnit.SECONDS), ids.get(i)));
        }
        return runs;
    }

    private static boolean endsPatch(int fused) {
        return fused >= BolmoConfig.PLAIN_VOCAB;
    }

    private static GenerationOptions endless() {
        return GenerationOptions.builder().maxNewBytes(1_000_000).stopAtEos(false).build();
    }

    private static int[] prompt(String id) {
        return prompt("tiny-olmo3", id);
    }

    private static int[] prompt(String model, String id) {
        return TinyModels.goldenPrompt(model, id);
    }
}
