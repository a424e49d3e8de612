package io.bolmo.eval;

import java.util.List;

/**
 * What an {@link Evaluation} scores besides the documents: the character-task items generated from the words of
 * all held-out documents (model.md §10.2), in task order. Deterministic (seeded), so every machine of a distributed
 * evaluation derives the same plan and scores its own range of {@link #items}.
 *
 * @param items the items of every task, task after task (empty when the tasks are off)
 * @param words distinct held-out words they were drawn from
 */
public record EvalPlan(List<TaskExample> items, int words) {

    public EvalPlan {
        items = List.copyOf(items);
    }
}
