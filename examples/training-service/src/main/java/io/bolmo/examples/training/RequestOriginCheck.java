package io.bolmo.examples.training;

import com.google.gson.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses, before authentication, a request whose {@code Host} is not a name this service answers to (a DNS
 * rebinding page reaches a local port under its own host name) and a browser request whose {@code Origin} is another
 * site's (a cross-site form or script): 403 with a JSON message. Requests without {@code Origin} (command-line
 * clients, same-origin navigations) pass to the next checks: authentication, then CSRF for the page's own requests.
 */
final class RequestOriginCheck implements WebFilter {

    private static final List<String> LOCAL = List.of("localhost", "127.0.0.1", "::1");

    private final Set<String> hosts = new LinkedHashSet<>();
    private final Set<String> origins = new LinkedHashSet<>();

    RequestOriginCheck(TrainingProperties properties) {
        LOCAL.forEach(hosts::add);
        properties.allowedHosts().forEach(h -> hosts.add(h.trim().toLowerCase(Locale.ROOT)));
        properties.allowedOrigins().forEach(o -> origins.add(o.trim().toLowerCase(Locale.ROOT)));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String host = request.getHeaders().getFirst(HttpHeaders.HOST);
        Authority own = Authority.parse(host);
        if (own == null || !hosts.contains(own.host())) {
            return refuse(exchange.getResponse(), "Host '" + shorten(host) + "' is not a name this service answers"
                    + " to (allowed: " + String.join(", ", hosts) + "; configure bolmo.training.allowed-hosts)");
        }
        String origin = request.getHeaders().getOrigin();
        if (origin != null && !sameOrigin(origin, own) && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            return refuse(exchange.getResponse(), "cross-origin request from '" + shorten(origin) + "' refused; only"
                    + " the service's own page may call it from a browser (configure bolmo.training.allowed-origins)");
        }
        return chain.filter(exchange);
    }

    /** The page's origin equals the Host it was served from (the scheme may differ behind a TLS proxy). */
    private static boolean sameOrigin(String origin, Authority own) {
        try {
            URI u = URI.create(origin);
            Authority o = Authority.parse(u.getRawAuthority());
            int defaultPort = "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            return o != null && o.host().equals(own.host())
                    && (o.port() < 0 ? defaultPort : o.port()) == (own.port() < 0 ? defaultPort : own.port());
        } catch (IllegalArgumentException e) {
            return false; // "null" (sandboxed frames, file: pages) and anything unparsable
        }
    }

    /** {@code host[:port]} of a Host header or URI authority, the host lower case and without IPv6 brackets. */
    private record Authority(String host, int port) {

        static Authority parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String t = text.trim().toLowerCase(Locale.ROOT);
            int colon = t.startsWith("[") ? t.indexOf(':', t.indexOf(']')) : t.lastIndexOf(':');
            String host = colon < 0 ? t : t.substring(0, colon);
            int port = -1;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(t.substring(colon + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return new Authority(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
        }
    }

    private static Mono<Void> refuse(ServerHttpResponse response, String message) {
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        DataBuffer buffer = response.bufferFactory().wrap(body.toString().getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
