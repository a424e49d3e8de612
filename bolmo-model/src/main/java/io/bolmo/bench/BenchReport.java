package io.bolmo.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code bolmo bench} run measured: a Markdown table for people (figure, value, how it was obtained) and
 * the same figures under stable snake_case names for machines ({@code --json}), so runs can be compared across
 * commits. Units are in the names: {@code _bytes_per_s}, {@code _s}, {@code _bytes}, {@code _flops_per_s}; ratios
 * have none.
 */
public final class BenchReport {

    private final String setting;
    private final String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    private final List<String[]> rows = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String> tables = new ArrayList<>();

    BenchReport(String setting) {
        this.setting = setting;
    }

    /** A table row. */
    void row(String figure, String value, String notes) {
        rows.add(new String[] {figure, value, notes});
    }

    /** A figure for {@code --json}: a number, a string, a boolean, or a list of row maps. */
    void figure(String name, Object value) {
        figures.put(name, value);
    }

    /** A table of its own (continuous batching, memory against prompt length), printed after the main one. */
    void table(String markdown) {
        tables.add(markdown);
    }

    public Map<String, Object> figures() {
        return figures;
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("### bolmo bench, ").append(date).append("\n\n").append(setting).append("\n\n");
        if (!rows.isEmpty()) {
            sb.append("| figure | value | notes |\n|---|---|---|\n");
            for (String[] r : rows) {
                sb.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" |\n");
            }
            sb.append('\n');
        }
        for (String t : tables) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }

    public String json() {
        JsonObject o = new JsonObject();
        o.addProperty("date", date);
        o.addProperty("setting", setting);
        var gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create();
        o.add("figures", gson.toJsonTree(figures));
        return gson.toJson(o) + "\n";
    }
}
