package io.bolmo.train.data;

import io.bolmo.tokenize.SubwordVocabulary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Shared test fixtures: the cl100k-8192 tokenizer, a data-set-C synthetic vocabulary, corpus file writers. */
final class DataFixtures {

    static final Path CL100K = resource("tokenizers/cl100k-8192/tokenizer.json");
    static final SubwordVocabulary CL100K_VOCAB = SubwordVocabulary.fromTokenizerJson(CL100K);
    static final int CL_EOS = 8192;
    static final int CL_PAD = 8195;

    /** Data set C's synthetic teacher tokens (ids as in golden-losses teacher_input_ids; EOS 39, PAD 38). */
    static final String[] C_TOKENS = {"<t0>", "The", " cat", ".", "Hi", " you", "<t6>", "Hello", " w", "orld", "\n",
        "Again"};

    private DataFixtures() {}

    static Path resource(String name) {
        try {
            return Path.of(DataFixtures.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 40-id vocabulary whose ids 1..11 are {@link #C_TOKENS}, written in the GPT-2 byte alphabet. */
    static SubwordVocabulary dataSetCVocab() {
        LinkedHashMap<String, Integer> v = new LinkedHashMap<>();
        for (int i = 0; i < 38; i++) {
            String t = i < C_TOKENS.length ? C_TOKENS[i] : "<t" + i + ">";
            v.put(t.replace(' ', 'Ġ').replace('\n', 'Ċ'), i);
        }
        v.put("<|pad|>", 38);
        v.put("<|endoftext|>", 39);
        return SubwordVocabulary.of("data-set-C", v, List.of("<|pad|>", "<|endoftext|>"), 39, 38, -1);
    }

    /** Greedy longest match over {@link #C_TOKENS}: enough to segment the hand-made data set C texts. */
    static int[] dataSetCEncode(String text) {
        int[] out = new int[text.length()];
        int n = 0;
        int i = 0;
        while (i < text.length()) {
            int best = -1;
            for (int id = 1; id < C_TOKENS.length; id++) {
                if (text.startsWith(C_TOKENS[id], i) && (best < 0 || C_TOKENS[id].length() > C_TOKENS[best].length())) {
                    best = id;
                }
            }
            if (best < 0) {
                throw new IllegalArgumentException("no token at " + i + " of " + text);
            }
            out[n++] = best;
            i += C_TOKENS[best].length();
        }
        return java.util.Arrays.copyOf(out, n);
    }

    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            if (file.toString().endsWith(".gz")) {
                try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
                    o.write(b);
                }
            } else {
                Files.write(file, b);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document text of a corpus, in id order. */
    static List<String> texts(Corpus c) {
        return java.util.stream.IntStream.range(0, c.documentCount()).mapToObj(c::text).toList();
    }
}
