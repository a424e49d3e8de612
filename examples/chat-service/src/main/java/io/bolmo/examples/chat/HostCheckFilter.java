package io.bolmo.examples.chat;

import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers only requests addressed to a host name in {@code chat.allowed-hosts} (default: the loopback names). A web
 * page whose domain an attacker re-points to 127.0.0.1 (DNS rebinding) reaches the service with its own name in the
 * {@code Host} header and is refused with 403. {@code *} allows any name.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class HostCheckFilter implements WebFilter {

    private final List<String> allowed;
    private final JsonMapper json;

    public HostCheckFilter(@Value("${chat.allowed-hosts:localhost,127.0.0.1,[::1]}") List<String> allowed,
            JsonMapper json) {
        this.allowed = allowed.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String host = hostName(exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST));
        if (allowed.contains("*") || (host != null && allowed.contains(host))) {
            return chain.filter(exchange);
        }
        return ErrorMapping.write(exchange.getResponse(), HttpStatus.FORBIDDEN, ErrorMapping.error("Host '" + host
                + "' is not served here; the allowed names are in chat.allowed-hosts", "invalid_request_error", null),
                json);
    }

    /** The Host header without its port, lower case: {@code [::1]:8080} → {@code [::1]}. */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip().toLowerCase(Locale.ROOT);
        int colon = h.startsWith("[") ? h.indexOf("]:") + 1 : h.lastIndexOf(':');
        return colon > 0 ? h.substring(0, colon) : h;
    }
}
