package io.bolmo.batch;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;

/**
 * The batch application that halts its own JVM at a chosen point, as a SIGKILL there would (no shutdown hook, no
 * commit, no finally block): {@code -Dbolmo.test.fault=KIND:N} halts at the N-th event of that kind in this JVM.
 * <ul>
 *   <li>{@code write}: a checkpoint is half written (its temporary directory holds the model and the optimizer, not
 *       yet {@code state.json});</li>
 *   <li>{@code prune}: an old checkpoint has been renamed for deletion and not yet deleted;</li>
 *   <li>{@code opened}: a step has opened its run (model loaded, resumed) but Batch has not yet saved the step's
 *       context: the state a restart killed "while it loads the model" leaves behind.</li>
 * </ul>
 * No annotations: the test contexts scan this package and must not pick it up.
 */
public final class FaultInjectingApplication {

    static final String PROPERTY = "bolmo.test.fault";

    private FaultInjectingApplication() {}

    public static void main(String[] args) {
        String[] fault = System.getProperty(PROPERTY, "none:0").split(":");
        String kind = fault[0];
        int at = Integer.parseInt(fault[1]);
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger prunes = new AtomicInteger();
        AtomicInteger opens = new AtomicInteger();
        SpringApplication app = new SpringApplication(BolmoBatchApplication.class);
        app.addInitializers(ctx -> ctx.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof TrainingTasklet t) {
                    t.writeHook(tmp -> {
                        String n = tmp.getFileName().toString();
                        AtomicInteger count = n.startsWith(".deleted-") ? prunes : writes;
                        String event = count == prunes ? "prune" : "write";
                        if (event.equals(kind) && count.incrementAndGet() == at) {
                            halt(event, tmp);
                        }
                    });
                }
                if (bean instanceof AbstractStep step && kind.equals("opened")) {
                    // registered after the tasklet's own listener: runs once the run is open
                    step.registerStepExecutionListener(new StepExecutionListener() {
                        @Override
                        public void beforeStep(StepExecution e) {
                            if (opens.incrementAndGet() == at) {
                                halt("opened", Path.of(e.getStepName()));
                            }
                        }
                    });
                }
                return bean;
            }
        }));
        System.exit(SpringApplication.exit(app.run(args)));
    }

    private static void halt(String event, Path at) {
        System.out.println("FAULT: halting at " + event + " " + at);
        System.out.flush();
        Runtime.getRuntime().halt(137);
    }
}
