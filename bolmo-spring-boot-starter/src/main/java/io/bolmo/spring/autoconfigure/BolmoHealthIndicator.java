package io.bolmo.spring.autoconfigure;

import io.bolmo.Bolmo;
import io.bolmo.spring.ai.BolmoChatModel;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Reports the loaded model: where it came from, the device, its size and the generations running now. */
public class BolmoHealthIndicator extends AbstractHealthIndicator {

    private final Bolmo bolmo;
    private final BolmoChatModel chatModel;

    public BolmoHealthIndicator(Bolmo bolmo, BolmoChatModel chatModel) {
        super("Bolmo health check failed");
        this.bolmo = bolmo;
        this.chatModel = chatModel;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up()
                .withDetail("modelLoaded", true)
                .withDetail("modelDirectory", String.valueOf(bolmo.directory().toAbsolutePath()))
                .withDetail("device", bolmo.device().toString())
                .withDetail("parameters", bolmo.parameterCount())
                .withDetail("activeGenerations", chatModel.activeGenerations());
    }
}
