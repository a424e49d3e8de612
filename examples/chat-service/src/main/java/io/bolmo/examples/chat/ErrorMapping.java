package io.bolmo.examples.chat;

import io.bolmo.spring.ai.BolmoGenerationTimeoutException;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * Maps failures to statuses a client can act on: too busy = 429 (retry soon), timeout or open circuit = 503, bad
 * input = 400, too large = 413. The body has OpenAI's error shape so OpenAI SDKs show the message.
 */
@RestControllerAdvice
public class ErrorMapping {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    @ExceptionHandler(BulkheadFullException.class)
    ResponseEntity<Map<String, Object>> busy(BulkheadFullException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", "1")
                .body(error("all generation slots are busy; retry shortly", "rate_limit_exceeded"));
    }

    @ExceptionHandler(BolmoGenerationTimeoutException.class)
    ResponseEntity<Map<String, Object>> timeout(BolmoGenerationTimeoutException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(error(e.getMessage(), "timeout"));
    }

    @ExceptionHandler(CallNotPermittedException.class)
    ResponseEntity<Map<String, Object>> circuitOpen(CallNotPermittedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "30")
                .body(error("the model is failing and temporarily disabled: " + e.getMessage(), "service_unavailable"));
    }

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<Map<String, Object>> badRequest(BadRequestException e) {
        return ResponseEntity.badRequest().body(error(e.getMessage(), "invalid_request_error"));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Map<String, Object>> badInput(ServerWebInputException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                        .body(error("request body is too large: " + t.getMessage(), "invalid_request_error"));
            }
        }
        String reason = e.getReason() != null ? e.getReason() : "malformed request";
        Throwable cause = e.getMostSpecificCause();
        String detail = cause != e && cause.getMessage() != null ? ": " + firstLine(cause.getMessage()) : "";
        return ResponseEntity.badRequest().body(error(reason + detail, "invalid_request_error"));
    }

    @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
    ResponseEntity<Map<String, Object>> mediaType(UnsupportedMediaTypeStatusException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(error("send the request as application/json", "invalid_request_error"));
    }

    /** The framework's own refusals (413 body too large, 405, 406, ...) keep their status. */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, Object>> framework(ResponseStatusException e) {
        String message = e.getStatusCode().value() == 413 ? "request body is too large"
                : e.getReason() != null ? e.getReason() : e.getStatusCode().toString();
        return ResponseEntity.status(e.getStatusCode()).body(error(message, "invalid_request_error"));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, Object>> illegalArgument(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(error(e.getMessage(), "invalid_request_error"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        log.error("chat request failed", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(error("the model failed: " + e.getMessage(), "server_error"));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Map<String, Object> error(String message, String type) {
        return Map.of("error", Map.of("message", message, "type", type));
    }
}
