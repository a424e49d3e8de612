package io.bolmo.train.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A read-only corpus of text documents (model.md §6.1 Data) from {@code .txt}, {@code .jsonl} and their {@code .gz}:
 * one scan builds an index (file, offset, length, line, content hash per document); texts are re-read on demand, so
 * memory holds the index plus at most one decompressed {@code .gz} file. Document ids follow the file order
 * (directories expanded recursively, sorted by path) and the order inside each file. Blank documents are skipped.
 */
public final class Corpus implements DocumentIndex, AutoCloseable {

    private final List<Path> files;
    private final boolean[] jsonl;
    private final CorpusOptions options;
    private int count;
    private int[] fileOf = new int[1024];
    private long[] offsets = new long[1024];
    private int[] lengths = new int[1024];
    private int[] lines = new int[1024];
    private long[] hashes = new long[1024];
    private final int[] fileStart;
    // One-entry caches: documents are read in file-major order, so reopening per document would dominate.
    private int cachedFile = -1;
    private byte[] cachedGz;
    private RandomAccessFile cachedRaf;

    private Corpus(List<Path> files, CorpusOptions options) {
        this.files = List.copyOf(files);
        this.options = options;
        this.jsonl = new boolean[files.size()];
        this.fileStart = new int[files.size() + 1];
        for (int f = 0; f < files.size(); f++) {
            jsonl[f] = isJsonl(files.get(f));
            fileStart[f] = count;
            scan(f);
        }
        fileStart[files.size()] = count;
    }

    /**
     * Indexes {@code paths}: a directory contributes its supported files ({@code .txt .jsonl .json} with optional
     * {@code .gz}) recursively in sorted path order; an explicit file is taken as given, in the order given.
     */
    public static Corpus open(List<Path> paths, CorpusOptions options) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(Corpus::isSupported)
                            .sorted(Comparator.comparing(Path::toString)).forEach(files::add);
                } catch (IOException e) {
                    throw new CorpusException(p + ": cannot list directory: " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                if (!isSupported(p)) {
                    throw new CorpusException(p + ": unsupported corpus file (expected .txt, .jsonl, .json or .gz)");
                }
                files.add(p);
            } else {
                throw new CorpusException(p + ": no such file or directory");
            }
        }
        return new Corpus(files, options);
    }

    public static Corpus open(Path path, CorpusOptions options) {
        return open(List.of(path), options);
    }

    static boolean isSupported(Path p) {
        String n = baseName(p);
        return n.endsWith(".txt") || n.endsWith(".jsonl") || n.endsWith(".json");
    }

    private static boolean isGz(Path p) {
        return p.getFileName().toString().endsWith(".gz");
    }

    private static String baseName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n;
    }

    private static boolean isJsonl(Path p) {
        String n = baseName(p);
        return n.endsWith(".jsonl") || n.endsWith(".json");
    }

    @Override
    public int documentCount() {
        return count;
    }

    @Override
    public int fileCount() {
        return files.size();
    }

    public List<Path> files() {
        return files;
    }

    @Override
    public int fileStart(int f) {
        return fileStart[f];
    }

    @Override
    public long hash(int doc) {
        return hashes[check(doc)];
    }

    @Override
    public String describe(int doc) {
        check(doc);
        return files.get(fileOf[doc]) + ":" + lines[doc];
    }

    /** The line of its file where document {@code doc} is (1 for a whole-file document). */
    public int line(int doc) {
        return lines[check(doc)];
    }

    /** The text of document {@code doc}, re-read from its file. */
    public synchronized String text(int doc) {
        check(doc);
        int f = fileOf[doc];
        byte[] raw = read(f, offsets[doc], lengths[doc]);
        return jsonl[f] ? jsonText(raw, f, lines[doc]) : new String(raw, StandardCharsets.UTF_8);
    }

    private int check(int doc) {
        if (doc < 0 || doc >= count) {
            throw new IndexOutOfBoundsException("document " + doc + " of " + count);
        }
        return doc;
    }

    private void scan(int f) {
        Path path = files.get(f);
        try (InputStream in = open(path)) {
            if (!jsonl[f] && options.textMode() == TextMode.FILES) {
                byte[] all = in.readAllBytes();
                add(f, 0, all.length, 1, new String(all, StandardCharsets.UTF_8));
                return;
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long offset = 0;
            long lineStart = 0;
            int lineNo = 1;
            int b;
            while ((b = in.read()) != -1) {
                offset++;
                if (b == '\n') {
                    addLine(f, lineStart, line, lineNo++);
                    line.reset();
                    lineStart = offset;
                } else {
                    line.write(b);
                }
            }
            addLine(f, lineStart, line, lineNo);
        } catch (IOException e) {
            throw new CorpusException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private void addLine(int f, long start, ByteArrayOutputStream line, int lineNo) {
        byte[] raw = line.toByteArray();
        int len = raw.length;
        if (len > 0 && raw[len - 1] == '\r') {
            len--; // CRLF files: the CR is part of the terminator, not of the document
        }
        String s = new String(raw, 0, len, StandardCharsets.UTF_8);
        if (s.isBlank()) {
            return;
        }
        add(f, start, len, lineNo, jsonl[f] ? jsonText(Arrays.copyOf(raw, len), f, lineNo) : s);
    }

    private void add(int f, long offset, long length, int lineNo, String text) {
        if (text.isBlank()) {
            return;
        }
        if (length > Integer.MAX_VALUE) {
            throw new CorpusException(files.get(f) + ":" + lineNo + ": document longer than 2 GiB");
        }
        if (count == fileOf.length) {
            int n = count * 2;
            fileOf = Arrays.copyOf(fileOf, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            lines = Arrays.copyOf(lines, n);
            hashes = Arrays.copyOf(hashes, n);
        }
        fileOf[count] = f;
        offsets[count] = offset;
        lengths[count] = (int) length;
        lines[count] = lineNo;
        hashes[count] = DocumentHash.of(text);
        count++;
    }

    private String jsonText(byte[] raw, int f, int lineNo) {
        String where = files.get(f) + ":" + lineNo;
        JsonElement e;
        try {
            e = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
        } catch (JsonParseException ex) {
            throw new CorpusException(where + ": malformed JSON: " + ex.getMessage(), ex);
        }
        if (!e.isJsonObject()) {
            throw new CorpusException(where + ": expected a JSON object, got " + kind(e));
        }
        JsonObject o = e.getAsJsonObject();
        String field = options.jsonField();
        if (CorpusOptions.WHOLE_OBJECT.equals(field)) {
            return o.toString();
        }
        if (!o.has(field)) {
            throw new CorpusException(where + ": missing field \"" + field + "\"");
        }
        JsonElement v = o.get(field);
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw new CorpusException(where + ": field \"" + field + "\" is not a string but " + kind(v));
        }
        return v.getAsString();
    }

    private static String kind(JsonElement e) {
        if (e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        return e.getAsJsonPrimitive().isString() ? "a string" : "the value " + e;
    }

    private static InputStream open(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return isGz(p) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private byte[] read(int f, long offset, int length) {
        Path p = files.get(f);
        try {
            if (cachedFile != f) {
                closeCache();
                if (isGz(p)) {
                    try (InputStream in = open(p)) {
                        cachedGz = in.readAllBytes(); // gzip has no random access; one file at a time
                    }
                } else {
                    cachedRaf = new RandomAccessFile(p.toFile(), "r");
                }
                cachedFile = f;
            }
            if (cachedGz != null) {
                return Arrays.copyOfRange(cachedGz, (int) offset, (int) offset + length);
            }
            byte[] b = new byte[length];
            cachedRaf.seek(offset);
            cachedRaf.readFully(b);
            return b;
        } catch (IOException e) {
            throw new CorpusException(p + ": cannot read document at byte " + offset + ": " + e.getMessage(), e);
        }
    }

    private void closeCache() throws IOException {
        cachedGz = null;
        cachedFile = -1;
        if (cachedRaf != null) {
            cachedRaf.close();
            cachedRaf = null;
        }
    }

    @Override
    public synchronized void close() {
        try {
            closeCache();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
