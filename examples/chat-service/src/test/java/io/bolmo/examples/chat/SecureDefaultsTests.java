package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** What a fresh service opens to whom: nothing beyond this machine, nothing of actuator beyond health. */
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
