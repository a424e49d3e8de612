package io.bolmo.examples.chat;

import io.bolmo.spring.ai.BolmoBusyException;
import io.bolmo.spring.ai.BolmoGenerationTimeoutException;
import io.bolmo.spring.ai.BolmoPromptTooLargeException;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps failures to statuses a client can act on: too busy = 429 (retry soon), timeout or open circuit = 503, bad
 * input = 400, too large = 413. The body has OpenAI's error shape ({@code error.message}, {@code type},
 * {@code param}, {@code code}) so OpenAI SDKs show the message. Messages speak of the request (fields, limits);
 * internal class and method names stay in the log.
 */
@RestControllerAdvice
public class ErrorMapping {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);
    private static final String INTERNAL = "the model failed; the service's log has the details";

    @ExceptionHandler(BulkheadFullException.class)
    ResponseEntity<Map<String, Object>> busy(BulkheadFullException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", "1")
                .body(error(publicMessage(e), "rate_limit_exceeded", null));
    }

    @ExceptionHandler(BolmoBusyException.class)
    ResponseEntity<Map<String, Object>> busyWithPrompts(BolmoBusyException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", "1")
                .body(error(e.getMessage(), "rate_limit_exceeded", null));
    }

    @ExceptionHandler(BolmoPromptTooLargeException.class)
    ResponseEntity<Map<String, Object>> promptTooLarge(BolmoPromptTooLargeException e) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                .body(error(e.getMessage(), "invalid_request_error", "context_length_exceeded"));
    }

    @ExceptionHandler(BolmoGenerationTimeoutException.class)
    ResponseEntity<Map<String, Object>> timeout(BolmoGenerationTimeoutException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(error(e.getMessage(), "timeout", null));
    }

    @ExceptionHandler(CallNotPermittedException.class)
    ResponseEntity<Map<String, Object>> circuitOpen(CallNotPermittedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "30")
                .body(error(publicMessage(e), "service_unavailable", null));
    }

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<Map<String, Object>> badRequest(BadRequestException e) {
        return ResponseEntity.badRequest().body(error(e.getMessage(), "invalid_request_error", null));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Map<String, Object>> badInput(ServerWebInputException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                        .body(error("request body is too large: " + t.getMessage(), "invalid_request_error", null));
            }
            if (t instanceof JacksonException json) {
                return ResponseEntity.badRequest().body(error(json(json), "invalid_request_error", null));
            }
            if (t instanceof TypeMismatchException m) {
                String name = e.getMethodParameter() != null ? e.getMethodParameter().getParameterName()
                        : m.getPropertyName();
                return ResponseEntity.badRequest().body(error(name + " = '" + m.getValue() + "' is invalid: expected "
                        + jsonType(m.getRequiredType()), "invalid_request_error", null));
            }
        }
        String reason = e.getReason() != null ? firstSentence(e.getReason()) : "malformed request";
        return ResponseEntity.badRequest().body(error(reason, "invalid_request_error", null));
    }

    @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
    ResponseEntity<Map<String, Object>> mediaType(UnsupportedMediaTypeStatusException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(error("send the request as application/json", "invalid_request_error", null));
    }

    /** The framework's own refusals (413 body too large, 405, 406, ...) keep their status. */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, Object>> framework(ResponseStatusException e) {
        HttpStatusCode status = e.getStatusCode();
        String message = status.value() == 413 ? "request body is too large"
                : e.getReason() != null ? firstSentence(e.getReason()) : status.toString();
        return ResponseEntity.status(status).body(error(message, "invalid_request_error", null));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, Object>> illegalArgument(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(error(e.getMessage(), "invalid_request_error", null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        log.error("chat request failed", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(error(INTERNAL, "server_error", null));
    }

    /**
     * What a client may read about a failure that ends a stream after its first event, when no status can carry it
     * any more: the service's own messages, never an internal exception's.
     */
    static String publicMessage(Throwable e) {
        if (e instanceof BulkheadFullException) {
            return "all generation slots are busy; retry shortly";
        }
        if (e instanceof CallNotPermittedException) {
            return "the model is failing and temporarily disabled; retry in 30 s";
        }
        if (e instanceof BolmoGenerationTimeoutException || e instanceof BolmoBusyException
                || e instanceof BadRequestException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        log.error("chat stream failed", e);
        return INTERNAL;
    }

    /** A JSON problem in the request's own terms: the field's path and the JSON type it needs. */
    private static String json(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String type = jsonType(m.getTargetType());
            return path.isEmpty() ? "the request body must be " + type + " in JSON"
                    : "invalid type for '" + path + "': expected " + type;
        }
        if (e instanceof StreamReadException && e.getLocation() != null) {
            return "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + firstSentence(e.getOriginalMessage());
        }
        return "invalid JSON" + (path.isEmpty() ? "" : " at '" + path + "'");
    }

    private static String jsonType(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /** Framework messages sometimes go on with a method signature after the first sentence or colon. */
    private static String firstSentence(String s) {
        String line = s.lines().findFirst().orElse(s);
        int cut = line.indexOf(": public ");
        return cut < 0 ? line : line.substring(0, cut);
    }

    /** Writes an error body from a web filter, before any controller runs. */
    static Mono<Void> write(ServerHttpResponse response, HttpStatus status, Map<String, Object> body,
            JsonMapper json) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(body))));
    }

    /** OpenAI's error body: {@code {"error": {"message", "type", "param", "code"}}}. */
    static Map<String, Object> error(String message, String type, String code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", null);
        error.put("code", code);
        return Map.of("error", error);
    }
}
