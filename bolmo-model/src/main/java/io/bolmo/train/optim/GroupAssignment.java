package io.bolmo.train.optim;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Decides, by name, whether a parameter is frozen and otherwise which {@link ParamGroup} it belongs to. */
final class GroupAssignment {

    private final List<ParamGroup> groups;
    private final ParamGroup defaultGroup;
    private final List<String> frozen;
    private final Map<String, Glob> compiled = new HashMap<>();
    private final Set<String> unused = new LinkedHashSet<>();

    GroupAssignment(List<ParamGroup> groups, ParamGroup defaultGroup, List<String> frozenPatterns) {
        this.groups = List.copyOf(groups);
        this.defaultGroup = defaultGroup;
        this.frozen = List.copyOf(frozenPatterns);
        frozenPatterns.forEach(unused::add);
        groups.forEach(g -> unused.addAll(g.patterns()));
    }

    /**
     * The group of {@code name}, or null when it is frozen. Freezing wins over groups; matching two groups is an
     * error because the settings to combine would be a guess.
     */
    ParamGroup groupOf(String name) {
        if (matchesAny(frozen, name)) {
            return null;
        }
        ParamGroup found = null;
        for (ParamGroup g : groups) {
            if (matchesAny(g.patterns(), name)) {
                if (found != null) {
                    throw new IllegalArgumentException("parameter '" + name + "' matches both group '"
                            + found.name() + "' and group '" + g.name() + "'");
                }
                found = g;
            }
        }
        return found == null ? defaultGroup : found;
    }

    /** Patterns that matched no parameter so far (olmo-core silently ignores these; we log them). */
    Set<String> unusedPatterns() {
        return unused;
    }

    private boolean matchesAny(List<String> patterns, String name) {
        boolean any = false;
        for (String p : patterns) {
            if (compiled.computeIfAbsent(p, Glob::of).matches(name)) {
                unused.remove(p);
                any = true;
            }
        }
        return any;
    }
}
