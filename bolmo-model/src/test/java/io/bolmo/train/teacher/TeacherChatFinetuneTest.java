package io.bolmo.train.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.io.SafetensorsFile;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.data.ChatSetGenerator;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusException;
import io.bolmo.train.data.DataFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teacher's instruction fine-tune (model.md §11 needs one to merge): chat conversations trained on the assistant
 * tokens only, starting from an existing teacher's weights.
 */
class TeacherChatFinetuneTest {

    private static final String CONVERSATION = "{\"messages\":[{\"role\":\"user\",\"content\":\"Repeat: Herr Präsident\"},"
            + "{\"role\":\"assistant\",\"content\":\"Answer: Herr Präsident\"}]}";

    @TempDir
    Path dir;

    @Test
    void chatDocumentsTrainExactlyTheAssistantReplyAndItsClosingMarker() throws Exception {
        SubwordVocabulary vocab = SubwordVocabulary.load(TeacherFixtures.tokenizer());
        try (HfSubwordEncoder encoder = HfSubwordEncoder.open(TeacherFixtures.tokenizer())) {
            TokenDocuments.Document d = TokenDocuments.chat(encoder, vocab, ChatTemplate.OLMO).encode(CONVERSATION);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteArrayOutputStream trained = new ByteArrayOutputStream();
            for (int i = 0; i < d.ids().length; i++) {
                for (int b : vocab.byteIds(d.ids()[i])) {
                    all.write(b - 4); // byte ids are bytes + 4
                    if (d.trained()[i] == 1) {
                        trained.write(b - 4);
                    }
                }
            }
            assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo("<|im_start|>user\nRepeat: Herr Präsident"
                    + "<|im_end|>\n<|im_start|>assistant\nAnswer: Herr Präsident<|im_end|>\n");
            assertThat(trained.toString(StandardCharsets.UTF_8)).isEqualTo("Answer: Herr Präsident<|im_end|>\n");
            // the template's markers are the tokenizer's own special tokens, one id each
            assertThat(d.ids()).contains(vocab.idOf("<|im_start|>"), vocab.idOf("<|im_end|>"));
            assertThat(d.eosTrained()).isFalse();

            String withEos = CONVERSATION.replace("Repeat: Herr", "Repeat: <|endoftext|> Herr");
            assertThatThrownBy(() -> TokenDocuments.chat(encoder, vocab, ChatTemplate.OLMO).encode(withEos))
                    .isInstanceOf(CorpusException.class).hasMessageContaining("Repeat: <|endoftext|> Herr")
                    .hasMessageContaining("special strings");
        }
    }

    @Test
    void withPlainChatMarkersTheTemplateIsTokenizedAsTextAndTheIdsKeepTheirNumbers() throws Exception {
        Path plain = PlainChatMarkers.write(TeacherFixtures.tokenizer(), ChatTemplate.OLMO, dir.resolve("plain.json"));
        SubwordVocabulary special = SubwordVocabulary.load(TeacherFixtures.tokenizer());
        SubwordVocabulary text = SubwordVocabulary.load(plain);
        assertThat(text.addedTokens()).doesNotContain("<|im_start|>", "<|im_end|>").contains("<|endoftext|>");
        assertThat(text.idOf("Answer")).isEqualTo(special.idOf("Answer"));
        assertThat(text.eosId()).isEqualTo(special.eosId());
        try (HfSubwordEncoder encoder = HfSubwordEncoder.open(plain)) {
            TokenDocuments.Document d = TokenDocuments.chat(encoder, text, ChatTemplate.OLMO).encode(CONVERSATION);
            assertThat(d.ids()).doesNotContain(special.idOf("<|im_start|>"), special.idOf("<|im_end|>"));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < d.ids().length; i++) {
                if (d.trained()[i] == 1) {
                    for (int b : text.byteIds(d.ids()[i])) {
                        bytes.write(b - 4);
                    }
                }
            }
            // "<|im_end|>" is now several pieces, all of them trained
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("Answer: Herr Präsident<|im_end|>\n");
            assertThat(d.ids().length).isGreaterThan(20);
        }
    }

    @Test
    void aChatFinetuneStartsFromTheInitTeacherAndLearnsTheReplies() throws Exception {
        Path base = pretrainedTinyTeacher();
        Path chats = chatSet();
        TeacherSettings chat = new TeacherSettings(4, 32, 40, 1e-2, 0.1, 0.0, 1.0, 3, 10, DataFormat.CHAT, false);
        PretrainParameters params = new PretrainParameters(dir.resolve("ft"), List.of(chats),
                TeacherFixtures.tokenizer(), base, null, chat, 0, SafetensorsDtype.F32, "cpu");
        try (PretrainRun run = PretrainRun.open(params, null)) {
            // step 0 is the init teacher: same weights, tensor for tensor
            Path atStart = run.exportFinal(dir.resolve("at-start"));
            assertSameWeights(base, atStart);
            HeldOutMetrics before = run.evaluate().orElseThrow();
            while (!run.finished()) {
                run.step();
            }
            HeldOutMetrics after = run.evaluate().orElseThrow();
            // held-out conversations, assistant bytes only: "Answer: " and the closing marker are learnt quickly
            assertThat(after.bitsPerByte()).isLessThan(before.bitsPerByte() * 0.7); // measured 6.24 -> 3.80
            assertThat(after.bytes()).isEqualTo(before.bytes()).isPositive();
            Path checkpoint = run.saveCheckpoint();
            // the format is part of the run's settings: a resume under other settings names it
            PretrainParameters longer = new PretrainParameters(dir.resolve("ft"), List.of(chats),
                    TeacherFixtures.tokenizer(), base, null, chat.withTotalSteps(50), 0, SafetensorsDtype.F32, "cpu");
            assertThatThrownBy(() -> PretrainRun.open(longer, checkpoint)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("totalSteps=40, peakLr=0.01").hasMessageContaining("format=CHAT");
        }
    }

    @Test
    void freezingTheEmbeddingsLeavesEmbeddingAndHeadAsLoadedAndTrainsTheBlocks() throws Exception {
        Path base = pretrainedTinyTeacher();
        TeacherSettings frozen = new TeacherSettings(4, 32, 5, 1e-2, 0.1, 0.1, 1.0, 3, 10, DataFormat.CHAT, true);
        PretrainParameters params = new PretrainParameters(dir.resolve("frozen"), List.of(chatSet()),
                TeacherFixtures.tokenizer(), base, null, frozen, -1, SafetensorsDtype.F32, "cpu");
        Path tuned;
        try (PretrainRun run = PretrainRun.open(params, null)) {
            while (!run.finished()) {
                run.step();
            }
            tuned = run.exportFinal(dir.resolve("frozen/final"));
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SafetensorsFile x = SafetensorsFile.open(base.resolve("model.safetensors"));
                SafetensorsFile y = SafetensorsFile.open(tuned.resolve("model.safetensors"))) {
            for (String name : x.names()) {
                float[] before = x.load(name, m).toFloatArray();
                float[] after = y.load(name, m).toFloatArray();
                if (name.equals(SubwordLmTrainer.EMBEDDING) || name.equals(SubwordLmTrainer.LM_HEAD)) {
                    assertThat(after).as(name).containsExactly(before);
                } else if (name.endsWith("proj.weight")) {
                    assertThat(after).as(name).isNotEqualTo(before);
                }
            }
        }
    }

    /** A tiny teacher pretrained for a few steps on Europarl, exported in float32. */
    private Path pretrainedTinyTeacher() throws Exception {
        Path corpus = EuroparlCorpus.materialise(dir, TeacherFixtures.SLICE);
        PretrainParameters p = new PretrainParameters(dir.resolve("base"), List.of(corpus),
                TeacherFixtures.tokenizer(), null, TeacherFixtures.tinyConfig(), TeacherFixtures.tinySettings(5), -1,
                SafetensorsDtype.F32, "cpu");
        try (PretrainRun run = PretrainRun.open(p, null)) {
            while (!run.finished()) {
                run.step();
            }
            return run.exportFinal(dir.resolve("base/final"));
        }
    }

    private Path chatSet() {
        Path chats = dir.resolve("chats.jsonl");
        try (Corpus c = TeacherFixtures.slice(dir.resolve("text"))) {
            ChatSetGenerator.write(chats, ChatSetGenerator.generate(c, ChatSetGenerator.Options.defaults(200, 1)));
        }
        return chats;
    }

    private static void assertSameWeights(Path a, Path b) throws Exception {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SafetensorsFile x = SafetensorsFile.open(a.resolve("model.safetensors"));
                SafetensorsFile y = SafetensorsFile.open(b.resolve("model.safetensors"))) {
            assertThat(y.names()).isEqualTo(x.names());
            for (String name : x.names()) {
                assertThat(y.load(name, m).toFloatArray()).as(name).containsExactly(x.load(name, m).toFloatArray());
            }
        }
    }
}
