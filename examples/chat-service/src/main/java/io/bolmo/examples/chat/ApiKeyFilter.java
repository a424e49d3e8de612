package io.bolmo.examples.chat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code chat.api-key} set (for example through the environment variable {@code CHAT_API_KEY}), every request
 * that makes the model work ({@code /v1/**}, {@code /chat}, {@code /chat/stream}) must carry
 * {@code Authorization: Bearer <key>}, as OpenAI clients send it; without it the answer is 401 in OpenAI's error
 * format. Health and the static page stay open. Unset (the default for a service bound to 127.0.0.1): no key.
 */
@Component
public class ApiKeyFilter implements WebFilter {

    private final byte[] key;
    private final JsonMapper json;

    public ApiKeyFilter(@Value("${chat.api-key:}") String key, JsonMapper json) {
        this.key = key.isBlank() ? null : key.strip().getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (key == null || !guarded(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(exchange.getResponse(), "You didn't provide an API key. You need to provide your API key "
                    + "in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", null);
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, key)) { // constant time: the comparison leaks nothing about the key
            return refuse(exchange.getResponse(), "Incorrect API key provided.", "invalid_api_key");
        }
        return chain.filter(exchange);
    }

    private static boolean guarded(String path) {
        return path.startsWith("/v1/") || path.equals("/chat") || path.startsWith("/chat/");
    }

    private Mono<Void> refuse(ServerHttpResponse response, String message, String code) {
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return ErrorMapping.write(response, HttpStatus.UNAUTHORIZED,
                ErrorMapping.error(message, "invalid_request_error", code), json);
    }
}
