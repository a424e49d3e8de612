package io.bolmo.bench;

import io.bolmo.tokenize.BundledTokenizer;
import io.bolmo.tokenize.HfSubwordEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The benchmark's sample text (English prose, ASCII) and its default tokenizer (cl100k's first 8 192 ranks). */
public final class BenchResources {

    private BenchResources() {}

    /** The sample text repeated and cut to exactly {@code bytes} bytes (it is ASCII, so chars = bytes). */
    public static String sampleText(int bytes) {
        String sample = resource("bench-sample.txt");
        StringBuilder sb = new StringBuilder(bytes);
        while (sb.length() < bytes) {
            sb.append(sample);
        }
        return sb.substring(0, bytes);
    }

    public static String sampleText() {
        return resource("bench-sample.txt");
    }

    /** {@code override}, or the bundled tokenizer copied to a temporary {@code tokenizer.json}. */
    public static Path tokenizerFile(Path override) {
        if (override != null) {
            return override;
        }
        try {
            Path dir = Files.createTempDirectory("bolmo-bench");
            Path file = BundledTokenizer.copyTo(dir);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled tokenizer", e);
        }
    }

    /** Subword tokens of {@code text} under the tokenizer file (no special tokens, no truncation). */
    public static int[] tokenize(Path tokenizerJson, String text) {
        try (HfSubwordEncoder t = HfSubwordEncoder.open(tokenizerJson)) {
            return t.encode(text);
        }
    }

    private static String resource(String name) {
        try (InputStream in = BenchResources.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
