package io.bolmo.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.djl.DjlBolmoEngine;
import io.bolmo.engine.djl.DjlOlmoEngine;
import io.bolmo.generate.constraint.ByteConstraint;
import io.bolmo.generate.constraint.SchemaCheck;
import io.bolmo.generate.constraint.Schemas;
import io.bolmo.nn.OlmoModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Constrained decoding on the golden random-weight Bolmo (its bytes are close to noise, the hardest case for a
 * constraint): for many schemas, greedy and sampled, alone and batched, every output is strict JSON valid under its
 * schema; regular expressions always match; a complete output ends the generation at once; every row of a batch
 * keeps its own constraint state, so batched outputs equal the same requests decoded alone.
 */
class ConstrainedGenerationTest extends GoldenModelTest {

    /** Model steps are what these tests cost; the many-seed sweep over every schema is JsonSchemaConstraintTest's. */
    private static final List<String> SCHEMAS = List.of("person", "arrayOfObjects", "enums", "unicodeStrings",
            "unions", "recursive");

    /** Text and every step's fused id of one generation. */
    private record Run(GenerationResult result, List<Integer> ids) {}

    private static final class Ids implements GenerationListener {
        final List<Integer> ids = new ArrayList<>();

        @Override
        public void onStep(int id) {
            ids.add(id);
        }
    }

    private static int[] prompt(int i) {
        String[] ids = {"ascii", "python_code", "single_char"};
        return TinyModels.goldenPrompt("tiny-olmo3", ids[i % ids.length]);
    }

    private static GenerationOptions options(ByteConstraint c, int maxBytes, Long seed) {
        GenerationOptions.Builder b = GenerationOptions.builder().maxNewBytes(maxBytes).constraint(c);
        return seed == null ? b.build() : b.temperature(1.0).topP(0.95).seed(seed).build();
    }

    private Run alone(int[] prompt, GenerationOptions o) {
        Ids ids = new Ids();
        return new Run(new BolmoGenerator(DjlBolmoEngine.over(model), trie).generate(prompt, o, ids), ids.ids);
    }

    @Test
    void everyOutputIsValidUnderItsSchemaGreedyAndSampledAloneAndBatched() throws Exception {
        List<int[]> prompts = new ArrayList<>();
        List<GenerationOptions> jobs = new ArrayList<>();
        List<String> schemas = new ArrayList<>();
        for (int s = 0; s < SCHEMAS.size(); s++) {
            String schema = Schemas.get(SCHEMAS.get(s));
            ByteConstraint c = ByteConstraint.jsonSchema(schema, 3);
            for (Long seed : new Long[] {null, 11L + s}) {
                prompts.add(prompt(s + (seed == null ? 0 : seed.intValue())));
                jobs.add(options(c, 90, seed));
                schemas.add(schema);
            }
        }
        List<Run> single = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            Run r = alone(prompts.get(i), jobs.get(i));
            assertValid(r, schemas.get(i), jobs.get(i));
            single.add(r);
        }
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
        List<Ids> batchedIds = new ArrayList<>();
        try (BolmoScheduler scheduler = new BolmoScheduler(DjlBolmoEngine.over(model), trie, new BolmoScheduler.Options(4, jobs.size()))) {
            for (int i = 0; i < jobs.size(); i++) {
                Ids ids = new Ids();
                batchedIds.add(ids);
                futures.add(scheduler.submit(prompts.get(i), jobs.get(i), ids));
            }
            for (int i = 0; i < jobs.size(); i++) {
                Run batched = new Run(futures.get(i).get(), batchedIds.get(i).ids);
                assertValid(batched, schemas.get(i), jobs.get(i));
                assertThat(batched.ids()).as("job %d batched equals alone", i).isEqualTo(single.get(i).ids());
            }
        }
    }

    private static void assertValid(Run r, String schema, GenerationOptions o) {
        String text = r.result().text();
        assertThat(new SchemaCheck(schema).problem(text.getBytes(StandardCharsets.UTF_8)))
                .as("%s under %s", text, schema).isNull();
        assertThat(r.result().generatedUnits()).isLessThanOrEqualTo(o.maxNewBytes());
        assertThat(r.result().generatedBytes()).as("no EOS or stop bytes inside").isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void regexOutputsAlwaysMatch() {
        String[] patterns = {"(yes|no), because [a-z ]{3,20}\\.", "\\d{4}-\\d{2}-\\d{2}",
            "[\\u00c0-\\u00ff\\u4e00-\\u4e20]{5}"};
        for (String p : patterns) {
            ByteConstraint c = ByteConstraint.regex(p);
            for (Long seed : new Long[] {null, 3L}) {
                GenerationResult r = alone(prompt(seed == null ? 0 : seed.intValue()), options(c, 40, seed)).result();
                assertThat(r.text()).as("%s", p).matches(Pattern.compile(p));
            }
        }
    }

    @Test
    void aCompleteOutputEndsTheGenerationAtOnce() {
        ByteConstraint c = ByteConstraint.jsonSchema("{\"type\":\"object\",\"properties\":{\"answer\":{\"enum\":[\"yes\",\"no\"]}},"
                + "\"required\":[\"answer\"],\"additionalProperties\":false}");
        for (Long seed : new Long[] {null, 1L}) {
            Run r = alone(prompt(0), options(c, 200, seed));
            assertThat(r.result().text()).isIn("{\"answer\":\"yes\"}", "{\"answer\":\"no\"}", "{\"answer\": \"yes\"}",
                    "{\"answer\": \"no\"}");
            assertThat(r.result().finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(r.ids()).as("the forced decision, then one step per byte: no EOS step, nothing after '}'")
                    .hasSize(1 + r.result().generatedUnits());
            int last = r.ids().get(r.ids().size() - 1);
            assertThat((last >= BolmoConfig.PLAIN_VOCAB ? last - BolmoConfig.PLAIN_VOCAB : last) - BolmoConfig.BYTE_OFFSET)
                    .isEqualTo('}');
        }
    }

    @Test
    void theByteLimitEndsOnACompleteOutput() {
        String schema = Schemas.get("arrayOfObjects");
        ByteConstraint c = ByteConstraint.jsonSchema(schema);
        for (int limit : new int[] {c.shortestOutput(), c.shortestOutput() + 20}) {
            Run r = alone(prompt(1), options(c, limit, 42L));
            assertThat(r.result().generatedUnits()).isLessThanOrEqualTo(limit);
            assertThat(new SchemaCheck(schema).problem(r.result().text().getBytes(StandardCharsets.UTF_8))).isNull();
        }
        assertThatThrownBy(() -> alone(prompt(1), options(c, c.shortestOutput() - 1, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too small for the constraint");
    }

    @Test
    void eosIsAllowedOnlyWhereTheOutputIsComplete() {
        ByteConstraint c = ByteConstraint.regex("[a-z]{0,30}");
        for (long seed = 0; seed < 2; seed++) {
            Ids ids = new Ids();
            GenerationResult r = new BolmoGenerator(DjlBolmoEngine.over(model), trie).generate(prompt(2), options(c, 40, seed), ids);
            assertThat(r.text()).matches("[a-z]{0,30}");
            for (int id : ids.ids.subList(1, ids.ids.size())) {
                int plain = id >= BolmoConfig.PLAIN_VOCAB ? id - BolmoConfig.PLAIN_VOCAB : id;
                assertThat(plain == BolmoConfig.EOS_ID || (plain >= BolmoConfig.BYTE_OFFSET + 'a'
                        && plain <= BolmoConfig.BYTE_OFFSET + 'z')).as("id %d", id).isTrue();
            }
        }
    }

    @Test
    void theSubwordModelRefusesAConstraint() {
        try (NDManager m = manager.newSubManager(); OlmoModel olmo = TinyModels.randomOlmo3(m)) {
            OlmoGenerator g = new OlmoGenerator(DjlOlmoEngine.over(olmo), olmo.config(), TinyModels.goldenVocabulary());
            assertThatThrownBy(() -> g.generate(new int[] {1, 2}, options(ByteConstraint.regex("a+"), 5, null),
                    GenerationListener.NONE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("for Bolmo models only");
        }
    }
}
