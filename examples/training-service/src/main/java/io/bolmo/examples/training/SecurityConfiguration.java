package io.bolmo.examples.training;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import reactor.core.publisher.Mono;

/**
 * Nothing is open: every request needs a user (HTTP Basic for API clients, the login form for the page; Spring
 * Boot's {@code spring.security.user.*}, or a password generated and printed once at start-up), the page's
 * state-changing requests need the session's CSRF token, and {@link RequestOriginCheck} refuses foreign Host and
 * Origin headers first. See docs/security.md.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http, TrainingProperties properties) {
        return http
                .addFilterAt(new RequestOriginCheck(properties), SecurityWebFiltersOrder.FIRST)
                .authorizeExchange(a -> a.anyExchange().authenticated())
                .httpBasic(Customizer.withDefaults())
                // after signing in, the status page (not a resource the browser happened to ask for meanwhile)
                .formLogin(f -> f.authenticationSuccessHandler(new RedirectServerAuthenticationSuccessHandler("/")))
                .csrf(c -> c.requireCsrfProtectionMatcher(SecurityConfiguration::pageRequestThatChangesState))
                // Spring's default "no-referrer" makes browsers send "Origin: null" even on the page's own posts,
                // which RequestOriginCheck cannot tell from a sandboxed foreign frame
                .headers(h -> h.referrerPolicy(r -> r.policy(ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }

    /**
     * The requests that need a CSRF token: state-changing ones that authenticate by the session cookie (the page).
     * A client that sends its own {@code Authorization} header is no cross-site form: a browser adds cached Basic
     * credentials by itself only across sites, and {@link RequestOriginCheck} refuses those by their Origin.
     */
    private static Mono<MatchResult> pageRequestThatChangesState(org.springframework.web.server.ServerWebExchange e) {
        HttpMethod m = e.getRequest().getMethod();
        boolean safe = m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS
                || m == HttpMethod.TRACE;
        boolean ownCredentials = e.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
        return !safe && !ownCredentials ? ServerWebExchangeMatcher.MatchResult.match()
                : ServerWebExchangeMatcher.MatchResult.notMatch();
    }
}
