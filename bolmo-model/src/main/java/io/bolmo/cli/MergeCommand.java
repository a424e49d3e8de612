package io.bolmo.cli;

import io.bolmo.merge.TaskArithmetic;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bolmo merge}: task-arithmetic upgrade of a Bolmo checkpoint (model.md §11), see {@link TaskArithmetic}. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Add alpha x (post-trained - base) of the source model to every matching Bolmo tensor.")
final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bolmo", paramLabel = "DIR", required = true, description = "The Bolmo checkpoint.")
    Path bolmo;

    @Option(names = "--base", paramLabel = "DIR", required = true, description = "The source (base) subword model.")
    Path base;

    @Option(names = "--post-trained", paramLabel = "DIR", required = true,
            description = "The post-trained (e.g. instruct) version of the source model.")
    Path postTrained;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "1.0", description = "Scale of the delta (default 1).")
    double alpha;

    @Option(names = "--embeddings", description = "Also add the embedding delta to the retained subword table.")
    boolean embeddings;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write the merged model.")
    Path out;

    @Override
    public Integer call() {
        TaskArithmetic.Report report = TaskArithmetic.merge(bolmo, base, postTrained, alpha, embeddings, out);
        PrintWriter w = spec.commandLine().getOut();
        w.println(report.describe());
        w.println("wrote " + out);
        w.flush();
        return 0;
    }
}
