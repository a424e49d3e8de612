package io.bolmo.batch;

import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/** Job parameters from {@code key=value} strings (a sweep's runs and evaluations). */
final class StringJobParameters {

    private StringJobParameters() {}

    static JobParameters of(Map<String, String> values) {
        JobParametersBuilder b = new JobParametersBuilder();
        values.forEach(b::addString);
        return b.toJobParameters();
    }
}
