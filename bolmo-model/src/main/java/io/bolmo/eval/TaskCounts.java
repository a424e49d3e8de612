package io.bolmo.eval;

/**
 * Right answers on some items of one character task (model.md §10.2); counts of disjoint item sets add up exactly.
 *
 * @param items          items scored
 * @param teacherCorrect items the teacher answered right; -1 without a teacher
 * @param bolmoCorrect   items Bolmo answered right
 */
public record TaskCounts(int items, int teacherCorrect, int bolmoCorrect) {

    public static TaskCounts empty(boolean teacher) {
        return new TaskCounts(0, teacher ? 0 : -1, 0);
    }

    public boolean hasTeacher() {
        return teacherCorrect >= 0;
    }

    public TaskCounts plus(TaskCounts o) {
        if (hasTeacher() != o.hasTeacher()) {
            throw new IllegalArgumentException("cannot add task counts with and without a teacher");
        }
        return new TaskCounts(items + o.items, hasTeacher() ? teacherCorrect + o.teacherCorrect : -1,
                bolmoCorrect + o.bolmoCorrect);
    }

    /** These Bolmo counts with the teacher's from {@code o}, on the same items. */
    public TaskCounts withTeacherOf(TaskCounts o) {
        if (o.items != items) {
            throw new IllegalArgumentException("the teacher's counts cover " + o.items + " items, these " + items);
        }
        return new TaskCounts(items, o.teacherCorrect, bolmoCorrect);
    }

    /** Accuracies (NaN where there is no teacher, or no item). */
    public TaskResult result() {
        return new TaskResult(items, hasTeacher() ? ratio(teacherCorrect) : Double.NaN, ratio(bolmoCorrect));
    }

    private double ratio(int correct) {
        return items == 0 ? Double.NaN : (double) correct / items;
    }
}
