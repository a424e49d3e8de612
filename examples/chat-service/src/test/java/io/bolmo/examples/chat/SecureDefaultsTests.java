package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * What a fresh service opens to whom: nothing beyond this machine (and no other host name), nothing of actuator
 * beyond health.
 */
class SecureDefaultsTests extends ServiceTestBase {

    @Autowired
    Environment environment;

    @Test
    void theServiceListensOnLoopbackOnly() throws Exception {
        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
        assertThat(get("/v1/models").statusCode()).isEqualTo(200);
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(external.get(), port), 2000))
                    .as("connecting through %s", external.get()).isInstanceOf(ConnectException.class);
        }
    }

    /** A page on another domain re-pointed at 127.0.0.1 (DNS rebinding) sends its own name as Host. */
    @Test
    void onlyLoopbackHostNamesAreServed() throws Exception {
        assertThat(rawStatusLine("evil.example:" + port)).contains(" 403 ");
        assertThat(rawStatusLine("localhost:" + port)).contains(" 200 ");
        assertThat(rawStatusLine("127.0.0.1:" + port)).contains(" 200 ");
        assertThat(HostCheckFilter.hostName("[::1]:8080")).isEqualTo("[::1]");
        assertThat(HostCheckFilter.hostName("LocalHost")).isEqualTo("localhost");
    }

    /** The JDK's HTTP client will not send a Host header of our choosing; a socket will. */
    private String rawStatusLine(String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/models HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void actuatorExposesOnlyHealth() throws Exception {
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        for (String endpoint : new String[] {"metrics", "metrics/gen_ai.client.token.usage", "env", "beans",
                "configprops", "loggers", "threaddump", "heapdump", "prometheus"}) {
            HttpResponse<String> r = get("/actuator/" + endpoint);
            assertThat(r.statusCode()).as("/actuator/%s", endpoint).isEqualTo(404);
        }
    }

    @Test
    void withoutAConfiguredKeyNoneIsNeeded() throws Exception {
        assertThat(postJson("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"max_tokens\":2}").statusCode()).isEqualTo(200);
    }
}
