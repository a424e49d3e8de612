package io.bolmo.eval;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.train.loss.BoundaryCounts;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * An {@link Evaluation}'s totals over some documents and task items: {@link HeldOutSums} and per-task
 * {@link TaskCounts}, all exactly additive. Partitions of one evaluation each produce one; their {@link #plus sum}
 * in any order is what a single pass over everything produces, and {@link Evaluation#report} turns it into the
 * report. Serialises to a small JSON object (exact sums as decimal strings) to travel between machines.
 *
 * @param heldOut the held-out likelihood and boundary sums
 * @param tasks   counts per task, every task present (zero items where a part scored none of it)
 */
public record EvalSums(HeldOutSums heldOut, Map<CharTask, TaskCounts> tasks) {

    public EvalSums {
        Map<CharTask, TaskCounts> m = new EnumMap<>(CharTask.class);
        m.putAll(tasks);
        tasks = Collections.unmodifiableMap(m);
    }

    public static EvalSums empty(boolean teacher) {
        Map<CharTask, TaskCounts> t = new EnumMap<>(CharTask.class);
        for (CharTask task : CharTask.values()) {
            t.put(task, TaskCounts.empty(teacher));
        }
        return new EvalSums(HeldOutSums.empty(teacher), t);
    }

    public EvalSums plus(EvalSums o) {
        Map<CharTask, TaskCounts> t = new EnumMap<>(CharTask.class);
        for (CharTask task : CharTask.values()) {
            t.put(task, count(task).plus(o.count(task)));
        }
        return new EvalSums(heldOut.plus(o.heldOut), t);
    }

    /** These Bolmo sums with the teacher's figures from {@code o}, a pass over the same documents and items. */
    public EvalSums withTeacherOf(EvalSums o) {
        Map<CharTask, TaskCounts> t = new EnumMap<>(CharTask.class);
        for (CharTask task : CharTask.values()) {
            t.put(task, count(task).withTeacherOf(o.count(task)));
        }
        return new EvalSums(heldOut.withTeacherOf(o.heldOut), t);
    }

    TaskCounts count(CharTask task) {
        TaskCounts c = tasks.get(task);
        return c != null ? c : TaskCounts.empty(heldOut.hasTeacher());
    }

    public String toJson() {
        JsonObject o = new JsonObject();
        HeldOutSums h = heldOut;
        o.addProperty("documents", h.documents());
        o.addProperty("windows", h.windows());
        o.addProperty("bytes", h.bytes());
        o.addProperty("tokens", h.tokens());
        o.addProperty("bolmo_nats", h.bolmoNats().toString());
        if (h.hasTeacher()) {
            o.addProperty("teacher_nats", h.teacherNats().toString());
        }
        BoundaryCounts b = h.boundaries();
        JsonObject bo = new JsonObject();
        bo.addProperty("positions", b.positions());
        bo.addProperty("true_positives", b.truePositives());
        bo.addProperty("false_positives", b.falsePositives());
        bo.addProperty("false_negatives", b.falseNegatives());
        bo.addProperty("predicted_positive", b.predictedPositive());
        bo.addProperty("target_positive", b.targetPositive());
        o.add("boundaries", bo);
        JsonObject to = new JsonObject();
        for (CharTask task : CharTask.values()) {
            TaskCounts c = count(task);
            JsonObject co = new JsonObject();
            co.addProperty("items", c.items());
            co.addProperty("teacher_correct", c.teacherCorrect());
            co.addProperty("bolmo_correct", c.bolmoCorrect());
            to.add(task.label(), co);
        }
        o.add("tasks", to);
        return o.toString();
    }

    public static EvalSums fromJson(String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            JsonObject bo = o.getAsJsonObject("boundaries");
            BoundaryCounts b = new BoundaryCounts(bo.get("positions").getAsLong(),
                    bo.get("true_positives").getAsLong(), bo.get("false_positives").getAsLong(),
                    bo.get("false_negatives").getAsLong(), bo.get("predicted_positive").getAsLong(),
                    bo.get("target_positive").getAsLong());
            HeldOutSums h = new HeldOutSums(o.get("documents").getAsInt(), o.get("windows").getAsInt(),
                    o.get("bytes").getAsLong(), o.get("tokens").getAsLong(),
                    ExactSum.parse(o.get("bolmo_nats").getAsString()),
                    o.has("teacher_nats") ? ExactSum.parse(o.get("teacher_nats").getAsString()) : null, b);
            Map<CharTask, TaskCounts> t = new EnumMap<>(CharTask.class);
            JsonObject to = o.getAsJsonObject("tasks");
            for (CharTask task : CharTask.values()) {
                JsonObject co = to.getAsJsonObject(task.label());
                t.put(task, new TaskCounts(co.get("items").getAsInt(), co.get("teacher_correct").getAsInt(),
                        co.get("bolmo_correct").getAsInt()));
            }
            return new EvalSums(h, t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not the JSON of evaluation sums: " + e.getMessage() + ": "
                    + (json.length() > 200 ? json.substring(0, 200) + "…" : json), e);
        }
    }
}
