package io.bolmo.examples.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Nothing is open by default: the service listens on the loopback address only, every request needs the user, the
 * page's state-changing requests need the session's CSRF token, and a foreign Host (DNS rebinding) or Origin
 * (another site's page) is refused before anything else.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityTests extends ServiceTestBase {

    @Test
    void everyRequestNeedsTheUser() throws Exception {
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(uri("/api/jobs")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("finetune");
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(uri("/api/jobs")).header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString((USER + ":guess").getBytes())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> stop = HTTP.send(HttpRequest.newBuilder(uri("/api/executions/1/stop"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stop.statusCode()).isIn(401, 403);
        assertThat(get("/api/jobs").statusCode()).isEqualTo(200);
    }

    @Test
    void theLoginFormStartsASessionWhoseWritesNeedTheCsrfToken() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).build();
        String page = browser.send(HttpRequest.newBuilder(uri("/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as(page).isTrue();
        String form = "username=" + USER + "&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");

        // the session reads; a write without the token is refused, with it the request reaches the API (404 here)
        assertThat(browser.send(HttpRequest.newBuilder(uri("/api/jobs")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> forged = browser.send(HttpRequest.newBuilder(uri("/api/executions/987654/stop"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        JsonObject token = JsonParser.parseString(browser.send(HttpRequest.newBuilder(uri("/api/csrf")).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
        HttpResponse<String> withToken = browser.send(HttpRequest.newBuilder(uri("/api/executions/987654/stop"))
                .header(token.get("headerName").getAsString(), token.get("token").getAsString())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(404);
    }

    @Test
    void aForeignHostOrOriginIsRefusedEvenWithTheRightCredentials() throws Exception {
        // DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own host name
        String rebound = raw("GET /api/jobs HTTP/1.1\r\nHost: evil.example:" + port + "\r\nAuthorization: "
                + basicAuth() + "\r\nConnection: close\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("Host 'evil.example:" + port + "' is not a name"
                + " this service answers to");
        assertThat(raw("GET /api/jobs HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: " + basicAuth()
                + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        // another site's script or form, even where the browser adds cached credentials
        for (String origin : new String[] {"http://evil.example", "http://localhost:" + (port + 1), "null"}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/api/executions/1/stop"))
                    .header("Authorization", basicAuth()).header("Origin", origin)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(origin).isEqualTo(403);
            assertThat(r.body()).contains("cross-origin request from '" + origin + "' refused");
        }
        HttpResponse<String> own = HTTP.send(HttpRequest.newBuilder(uri("/api/jobs")).header("Authorization",
                basicAuth()).header("Origin", "http://localhost:" + port).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).isEqualTo(200);
    }

    @Test
    void itListensOnTheLoopbackAddressOnly() throws Exception {
        InetAddress external = null;
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (n.isUp() && !a.isLoopbackAddress() && a instanceof Inet4Address) {
                    external = a;
                }
            }
        }
        assumeTrue(external != null, "skipped: this machine has no non-loopback IPv4 address");
        InetAddress address = external;
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 2000);
            }
        }).isInstanceOf(IOException.class);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            assertThat(s.isConnected()).isTrue();
        }
    }

    @Test
    void withoutAConfiguredUserAPasswordIsGeneratedAndPrintedOnce(CapturedOutput output) {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReactiveUserDetailsServiceAutoConfiguration.class))
                .withUserConfiguration(SecurityConfiguration.class)
                .withBean(TrainingProperties.class, () -> new TrainingProperties(null, null, null, null, null))
                .run(ctx -> assertThat(ctx).hasNotFailed());
        assertThat(Pattern.compile("Using generated security password: \\S+").matcher(output.getOut()).results())
                .hasSize(1);
    }

    /** One raw HTTP/1.1 exchange (java.net.http refuses to set a Host header). */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
