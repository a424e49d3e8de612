package io.bolmo.examples.training;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The REST API (JSON): list jobs, start one, list executions, read one with its progress, its metrics (loss and
 * bits per byte per step, held-out evaluations), stop and restart. Repository and file access is blocking, so it runs
 * on the bounded-elastic scheduler, never on the event loop.
 */
@RestController
@RequestMapping("/api")
public class TrainingController {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingController.class);

    private final TrainingService service;

    public TrainingController(TrainingService service) {
        this.service = service;
    }

    @GetMapping("/jobs")
    Mono<Map<String, Object>> jobs() {
        return blocking(() -> Map.of("jobs", service.jobs(), "dataRoot", service.paths().dataRoot().toString(),
                "outputRoot", service.paths().outputRoot().toString()));
    }

    /** Body: the job parameters as a JSON object of strings. 202 with the new execution. */
    @PostMapping("/jobs/{job}/executions")
    Mono<ResponseEntity<Map<String, Object>>> start(@PathVariable String job,
            @RequestBody(required = false) Map<String, Object> body) {
        return blocking(() -> {
            Map<String, String> params = new java.util.LinkedHashMap<>();
            if (body != null) {
                body.forEach((k, v) -> {
                    if (v != null && !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                        throw new BadRequestException("parameter '" + k + "' must be a string, number or boolean");
                    }
                    params.put(k, v == null ? "" : String.valueOf(v));
                });
            }
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(service.summary(service.start(job, params)));
        });
    }

    /**
     * The session's CSRF token for the page's state-changing requests: send {@code token} in the header
     * {@code headerName}. (API clients that authenticate with their own {@code Authorization} header need none.)
     */
    @GetMapping("/csrf")
    Mono<Map<String, String>> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.error(new NotFoundException("no CSRF token for this request"))
                : token.map(t -> Map.of("headerName", t.getHeaderName(), "token", t.getToken()));
    }

    @GetMapping("/executions")
    Mono<Map<String, Object>> executions(@RequestParam(defaultValue = "50") int limit) {
        return blocking(() -> Map.of("executions", service.list(Math.max(1, Math.min(limit, 500)))));
    }

    @GetMapping("/executions/{id}")
    Mono<Map<String, Object>> execution(@PathVariable long id) {
        return blocking(() -> service.summary(service.execution(id)));
    }

    @GetMapping(path = "/executions/{id}/metrics", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<String> metrics(@PathVariable long id) {
        return blocking(() -> service.metricsJson(id));
    }

    @PostMapping("/executions/{id}/stop")
    Mono<ResponseEntity<Map<String, Object>>> stop(@PathVariable long id) {
        return blocking(() -> ResponseEntity.status(HttpStatus.ACCEPTED).body(service.summary(service.stop(id))));
    }

    @PostMapping("/executions/{id}/restart")
    Mono<ResponseEntity<Map<String, Object>>> restart(@PathVariable long id,
            @RequestParam(defaultValue = "false") boolean recover) {
        return blocking(() -> ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(service.summary(service.restart(id, recover))));
    }

    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<Map<String, String>> badRequest(BadRequestException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<Map<String, String>> conflict(ConflictException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(NotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    /** A path variable or parameter of the wrong type, an unreadable body: 400 naming what was expected. */
    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Map<String, String>> badInput(ServerWebInputException e) {
        String what = e.getMethodParameter() != null && e.getMethodParameter().getParameterName() != null
                ? "'" + e.getMethodParameter().getParameterName() + "'" : "the request";
        return ResponseEntity.badRequest().body(Map.of("error", what + " is invalid: " + switch (what) {
            case "'id'" -> "an execution id is a positive whole number";
            case "'limit'" -> "a whole number";
            case "'recover'" -> "true or false";
            default -> "expected a JSON object of parameters";
        }));
    }

    /** Anything else is the service's fault: a 500 whose body names no code; the details go to the log. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> internal(Exception e) {
        if (e instanceof ResponseStatusException r) {
            return ResponseEntity.status(r.getStatusCode()).body(Map.of("error", r.getStatusCode().toString()));
        }
        String ref = Long.toHexString(System.nanoTime());
        LOG.error("request failed (reference {})", ref, e);
        return ResponseEntity.internalServerError().body(Map.of("error", "internal error (reference " + ref
                + "; see the service log)"));
    }
}
