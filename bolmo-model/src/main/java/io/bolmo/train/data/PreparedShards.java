package io.bolmo.train.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.io.AtomicFiles;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.io.SafetensorsFile;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.tokenize.SubwordVocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Training documents prepared ahead of the runs (the {@code prepare} job): every document of a corpus in its byte
 * form ({@link ByteExample}: byte ids, subword patch lengths, which are the boundary targets, teacher ids and, for
 * chats, the loss mask), in shards of consecutive documents, together with the corpus' {@link DocumentIndex} (files,
 * content hashes, lines). A run reading them builds exactly the batches it builds from the corpus, whatever its
 * seed, window size or held-out split, only without tokenizing. The retained-subword ids of the expanded embeddings
 * (model.md §2.2) are a function of the bytes and are derived per batch as always.
 *
 * <p>Layout of the directory: per shard k, {@code shard-0000k.safetensors} (I32 {@code byte_ids},
 * {@code patch_lens}, {@code teacher_ids}, {@code loss_mask} for chats; all documents concatenated) and
 * {@code shard-0000k.index.safetensors} (I64 {@code hash}, {@code line}, {@code byte_offsets},
 * {@code patch_offsets}; metadata {@code first}, {@code count}); {@code tokenizer.json}, the tokenizer the examples
 * were made with; and {@code manifest.json}, written last, so its presence marks a complete set. Every file is
 * written atomically. Reading keeps the index in memory and at most two shards' data.
 */
public final class PreparedShards implements TrainingDocuments {

    public static final String MANIFEST = "manifest.json";
    public static final String TOKENIZER = "tokenizer.json";
    static final String FORMAT = "bolmo-shards-v1";
    private static final int CACHED_SHARDS = 2;

    /** One written shard: documents {@code first .. first + count - 1}, their bytes and subword tokens. */
    public record Shard(int index, int first, int count, long bytes, long tokens) {}

    private final Path dir;
    private final SubwordVocabulary vocab;
    private final List<String> files;
    private final int[] fileStarts;
    private final int[] shardFirst;
    private final long[] hashes;
    private final long[] lines;
    private final long[][] byteOffsets;
    private final long[][] patchOffsets;
    private final boolean masked;
    private final Map<Integer, int[][]> loaded = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, int[][]> eldest) {
            return size() > CACHED_SHARDS;
        }
    };

    private PreparedShards(Path dir, SubwordVocabulary vocab, List<String> files, int[] fileStarts, int[] shardFirst,
            long[] hashes, long[] lines, long[][] byteOffsets, long[][] patchOffsets, boolean masked) {
        this.dir = dir;
        this.vocab = vocab;
        this.files = files;
        this.fileStarts = fileStarts;
        this.shardFirst = shardFirst;
        this.hashes = hashes;
        this.lines = lines;
        this.byteOffsets = byteOffsets;
        this.patchOffsets = patchOffsets;
        this.masked = masked;
    }

    // ------------------------------------------------------------------------------------------------- writing

    static String shardName(int k) {
        return String.format("shard-%05d.safetensors", k);
    }

    static String indexName(int k) {
        return String.format("shard-%05d.index.safetensors", k);
    }

    /**
     * Encodes documents {@code first .. end - 1} of {@code corpus} and writes them as shard {@code index} of
     * {@code dir} (data file first, then the index, each atomically; a rerun overwrites both).
     */
    public static Shard writeShard(Path dir, int index, Corpus corpus, int first, int end, DocumentEncoder encoder) {
        if (first < 0 || end < first || end > corpus.documentCount()) {
            throw new IllegalArgumentException("documents " + first + ".." + end + " are not within the corpus' "
                    + corpus.documentCount());
        }
        int n = end - first;
        List<ByteExample> examples = new ArrayList<>(n);
        long[] byteOff = new long[n + 1];
        long[] patchOff = new long[n + 1];
        long[] hash = new long[n];
        long[] line = new long[n];
        boolean mask = false;
        for (int i = 0; i < n; i++) {
            ByteExample ex = encoder.encode(corpus.text(first + i));
            examples.add(ex);
            byteOff[i + 1] = byteOff[i] + ex.byteIds().length;
            patchOff[i + 1] = patchOff[i] + ex.patches();
            hash[i] = corpus.hash(first + i);
            line[i] = corpus.line(first + i);
            mask |= ex.lossMask() != null;
        }
        if (byteOff[n] > Integer.MAX_VALUE || patchOff[n] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shard " + index + " (documents " + first + ".." + (end - 1) + ") holds "
                    + byteOff[n] + " bytes, more than one shard can (2^31 - 1): use more partitions");
        }
        int[] bytes = new int[(int) byteOff[n]];
        int[] lens = new int[(int) patchOff[n]];
        int[] teacher = new int[(int) patchOff[n]];
        int[] lossMask = mask ? new int[bytes.length] : null;
        long tokens = 0;
        for (int i = 0; i < n; i++) {
            ByteExample ex = examples.get(i);
            System.arraycopy(ex.byteIds(), 0, bytes, (int) byteOff[i], ex.byteIds().length);
            System.arraycopy(ex.patchLens(), 0, lens, (int) patchOff[i], ex.patches());
            System.arraycopy(ex.teacherIds(), 0, teacher, (int) patchOff[i], ex.patches());
            if (mask) {
                int[] m = ex.lossMask();
                if (m == null) {
                    Arrays.fill(lossMask, (int) byteOff[i], (int) byteOff[i + 1], 1);
                } else {
                    System.arraycopy(m, 0, lossMask, (int) byteOff[i], m.length);
                }
            }
            tokens += ex.tokens();
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> data = new LinkedHashMap<>();
            data.put("byte_ids", m.create(bytes));
            data.put("patch_lens", m.create(lens));
            data.put("teacher_ids", m.create(teacher));
            if (mask) {
                data.put("loss_mask", m.create(lossMask));
            }
            SafetensorsWriter.create().metadata("format", FORMAT).writeFile(dir.resolve(shardName(index)), data);
            Map<String, NDArray> idx = new LinkedHashMap<>();
            idx.put("hash", m.create(hash));
            idx.put("line", m.create(line));
            idx.put("byte_offsets", m.create(byteOff));
            idx.put("patch_offsets", m.create(patchOff));
            SafetensorsWriter.create().intType(SafetensorsDtype.I64).metadata("format", FORMAT)
                    .metadata("first", Integer.toString(first)).metadata("count", Integer.toString(n))
                    .writeFile(dir.resolve(indexName(index)), idx);
        }
        return new Shard(index, first, n, bytes.length, tokens);
    }

    /**
     * Completes {@code dir} once shards {@code 0 .. shards - 1} are written: checks that they cover the corpus'
     * documents in order without gap or overlap, copies the tokenizer and writes {@code manifest.json} (atomically,
     * last). Returns the manifest.
     */
    public static Path writeManifest(Path dir, int shards, DataFormat format, Path tokenizerFile, Corpus corpus) {
        JsonArray shardList = new JsonArray();
        int next = 0;
        for (int k = 0; k < shards; k++) {
            Path data = dir.resolve(shardName(k));
            Path index = dir.resolve(indexName(k));
            if (!Files.isRegularFile(data) || !Files.isRegularFile(index)) {
                throw new CorpusException(dir + ": shard " + k + " of " + shards + " is missing (" + data.getFileName()
                        + ", " + index.getFileName() + ")");
            }
            int first;
            int count;
            try (SafetensorsFile f = SafetensorsFile.open(index)) {
                first = Integer.parseInt(f.metadata().get("first"));
                count = Integer.parseInt(f.metadata().get("count"));
            }
            if (first != next) {
                throw new CorpusException(index + " starts at document " + first + ", expected " + next);
            }
            JsonObject s = new JsonObject();
            s.addProperty("data", data.getFileName().toString());
            s.addProperty("index", index.getFileName().toString());
            s.addProperty("first", first);
            s.addProperty("count", count);
            shardList.add(s);
            next = first + count;
        }
        if (next != corpus.documentCount()) {
            throw new CorpusException(dir + ": the shards hold " + next + " documents, the corpus "
                    + corpus.documentCount());
        }
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("data_format", format.id());
        o.addProperty("tokenizer_sha256", sha256(tokenizerFile));
        o.addProperty("documents", corpus.documentCount());
        JsonArray fileList = new JsonArray();
        JsonArray starts = new JsonArray();
        for (int f = 0; f < corpus.fileCount(); f++) {
            fileList.add(corpus.files().get(f).toString());
            starts.add(corpus.fileStart(f));
        }
        o.add("files", fileList);
        o.add("file_starts", starts);
        o.add("shards", shardList);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
        AtomicFiles.writeFile(dir.resolve(TOKENIZER), tmp -> Files.copy(tokenizerFile, tmp));
        Path manifest = dir.resolve(MANIFEST);
        AtomicFiles.writeFile(manifest, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        return manifest;
    }

    // ------------------------------------------------------------------------------------------------- reading

    /** Whether {@code p} is (or was meant to be) a directory of prepared shards: a manifest or a shard file in it. */
    public static boolean isShardDirectory(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        if (Files.exists(p.resolve(MANIFEST))) {
            return true;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.anyMatch(f -> f.getFileName().toString().matches("shard-\\d+\\.(index\\.)?safetensors"));
        } catch (IOException e) {
            throw new CorpusException(p + ": cannot list directory: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code dir} holds complete shards for a run of {@code format} with {@code tokenizerFile}, from
     * the manifest alone (what a job validates before it starts): a missing or foreign manifest, another format or
     * another tokenizer is a {@link CorpusException} naming the directory and the difference.
     */
    public static void check(Path dir, DataFormat format, Path tokenizerFile) {
        manifest(dir, format, tokenizerFile);
    }

    private static JsonObject manifest(Path dir, DataFormat format, Path tokenizerFile) {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new CorpusException(dir + " is not a complete shard directory: it has no " + MANIFEST + " (the"
                    + " prepare job writes it last; restart that job to finish it)");
        }
        JsonObject m;
        try {
            m = JsonParser.parseString(Files.readString(manifestFile, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CorpusException(manifestFile + ": cannot read the shard manifest: " + e.getMessage(), e);
        }
        if (!m.has("format") || !FORMAT.equals(m.get("format").getAsString())) {
            throw new CorpusException(manifestFile + " is not a manifest of prepared shards (format "
                    + (m.has("format") ? m.get("format") : "missing") + ", expected \"" + FORMAT + "\")");
        }
        String dataFormat = m.get("data_format").getAsString();
        if (!dataFormat.equals(format.id())) {
            throw new CorpusException(dir + " holds format=" + dataFormat + " shards; this run reads format="
                    + format.id());
        }
        String sha = sha256(tokenizerFile);
        if (!sha.equals(m.get("tokenizer_sha256").getAsString())) {
            throw new CorpusException(dir + " was prepared with another tokenizer (sha256 "
                    + m.get("tokenizer_sha256").getAsString() + ") than this run's " + tokenizerFile + " (sha256 " + sha
                    + "); prepare the shards with this tokenizer");
        }
        return m;
    }

    /** Opens the shards in {@code dir} for a run of {@code format} with {@code tokenizerFile}; see {@link #check}. */
    public static PreparedShards open(Path dir, DataFormat format, SubwordVocabulary vocab, Path tokenizerFile) {
        JsonObject m = manifest(dir, format, tokenizerFile);
        int documents = m.get("documents").getAsInt();
        List<String> files = new ArrayList<>();
        for (JsonElement e : m.getAsJsonArray("files")) {
            files.add(e.getAsString());
        }
        JsonArray startList = m.getAsJsonArray("file_starts");
        int[] fileStarts = new int[files.size() + 1];
        for (int f = 0; f < files.size(); f++) {
            fileStarts[f] = startList.get(f).getAsInt();
        }
        fileStarts[files.size()] = documents;
        JsonArray shards = m.getAsJsonArray("shards");
        int[] shardFirst = new int[shards.size()];
        long[] hashes = new long[documents];
        long[] lines = new long[documents];
        long[][] byteOffsets = new long[shards.size()][];
        long[][] patchOffsets = new long[shards.size()][];
        boolean masked = false;
        try (NDManager nd = NDManager.newBaseManager("PyTorch")) {
            for (int k = 0; k < shards.size(); k++) {
                JsonObject s = shards.get(k).getAsJsonObject();
                shardFirst[k] = s.get("first").getAsInt();
                int count = s.get("count").getAsInt();
                try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(s.get("index").getAsString()))) {
                    System.arraycopy(f.load("hash", nd).toLongArray(), 0, hashes, shardFirst[k], count);
                    System.arraycopy(f.load("line", nd).toLongArray(), 0, lines, shardFirst[k], count);
                    byteOffsets[k] = f.load("byte_offsets", nd).toLongArray();
                    patchOffsets[k] = f.load("patch_offsets", nd).toLongArray();
                }
                if (k == 0) {
                    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(s.get("data").getAsString()))) {
                        masked = f.contains("loss_mask");
                    }
                }
            }
        }
        return new PreparedShards(dir, vocab, files, fileStarts, shardFirst, hashes, lines, byteOffsets,
                patchOffsets, masked);
    }

    @Override
    public synchronized ByteExample example(int doc) {
        check(doc);
        int k = shardOf(doc);
        int i = doc - shardFirst[k];
        int[][] data = data(k);
        int b0 = (int) byteOffsets[k][i];
        int b1 = (int) byteOffsets[k][i + 1];
        int p0 = (int) patchOffsets[k][i];
        int p1 = (int) patchOffsets[k][i + 1];
        ByteExample ex = new ByteExample(Arrays.copyOfRange(data[0], b0, b1), Arrays.copyOfRange(data[1], p0, p1),
                Arrays.copyOfRange(data[2], p0, p1));
        return data[3] == null ? ex : ex.withLossMask(Arrays.copyOfRange(data[3], b0, b1));
    }

    /** Shard {@code k}'s byte ids, patch lengths, teacher ids and loss mask (null without), loaded on demand. */
    private int[][] data(int k) {
        return loaded.computeIfAbsent(k, key -> {
            Path file = dir.resolve(shardName(key));
            try (NDManager nd = NDManager.newBaseManager("PyTorch"); SafetensorsFile f = SafetensorsFile.open(file)) {
                return new int[][] {f.load("byte_ids", nd).toIntArray(), f.load("patch_lens", nd).toIntArray(),
                    f.load("teacher_ids", nd).toIntArray(), masked ? f.load("loss_mask", nd).toIntArray() : null};
            }
        });
    }

    private int shardOf(int doc) {
        int k = Arrays.binarySearch(shardFirst, doc);
        return k >= 0 ? k : -k - 2;
    }

    @Override
    public SubwordVocabulary vocabulary() {
        return vocab;
    }

    @Override
    public int documentCount() {
        return hashes.length;
    }

    @Override
    public int fileCount() {
        return files.size();
    }

    @Override
    public int fileStart(int f) {
        return fileStarts[f];
    }

    @Override
    public long hash(int doc) {
        return hashes[check(doc)];
    }

    @Override
    public String describe(int doc) {
        check(doc);
        int f = 0;
        while (fileStarts[f + 1] <= doc) {
            f++;
        }
        return files.get(f) + ":" + lines[doc] + " (prepared in " + dir + ")";
    }

    private int check(int doc) {
        if (doc < 0 || doc >= hashes.length) {
            throw new IndexOutOfBoundsException("document " + doc + " of " + hashes.length);
        }
        return doc;
    }

    @Override
    public synchronized void close() {
        loaded.clear();
    }

    /** The lower-case hex SHA-256 of a file's bytes. */
    static String sha256(Path file) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
