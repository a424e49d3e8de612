package io.bolmo.spring.autoconfigure;

import io.bolmo.Bolmo;
import io.bolmo.spring.ai.BolmoChatModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code bolmo} health indicator. A separate auto-configuration (ordered after the model's) because
 * {@code @ConditionalOnBean} is only reliable once the model's bean definitions are registered.
 */
@AutoConfiguration(after = BolmoChatAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean({Bolmo.class, BolmoChatModel.class})
@ConditionalOnEnabledHealthIndicator("bolmo")
public class BolmoHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "bolmoHealthIndicator")
    public BolmoHealthIndicator bolmoHealthIndicator(Bolmo bolmo, BolmoChatModel chatModel) {
        return new BolmoHealthIndicator(bolmo, chatModel);
    }
}
