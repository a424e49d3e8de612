package io.bolmo.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's name and its parameters in documentation order: what its validation reads ({@link JobParameterValues}),
 * what the path confinement checks ({@link PathConfinement}) and what an application lists (the training service's
 * {@code GET /api/jobs}). Every job configuration publishes its description as a bean.
 */
public record JobDescription(String job, List<JobParameterDefinition> parameters) {

    public JobDescription {
        parameters = List.copyOf(parameters);
    }

    /** Name → default ({@code null}: required), in documentation order. */
    public Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        parameters.forEach(p -> d.put(p.name(), p.defaultValue()));
        return Collections.unmodifiableMap(d);
    }

    /** The parameters that name files or directories. */
    public List<JobParameterDefinition> paths() {
        return parameters.stream().filter(JobParameterDefinition::isPath).toList();
    }

    /** The definition of {@code name}, or null. */
    public JobParameterDefinition parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** What a parameter is, for its "is required" message. */
    public String describe(String name) {
        JobParameterDefinition p = parameter(name);
        return p == null ? name : p.description();
    }
}
