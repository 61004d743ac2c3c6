package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.exporter.Exporter;
import io.pgmetrics.exporter.config.ConfigSource;
import io.pgmetrics.testing.Http;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** In a host application /probe, which connects wherever a request says, is off unless asked for. */
class AgentProbeTest {

    private static final String PROBE = "/probe?target=127.0.0.1:1/postgres";

    @Test
    void probeIsOffByDefault() throws Exception {
        try (Exporter exporter = startAgentExporter(Map.of())) {
            assertThat(Http.tryGet(exporter.port(), PROBE).orElseThrow().status())
                    .isEqualTo(404);
            assertThat(Http.tryGet(exporter.port(), "/healthz").orElseThrow().status())
                    .isEqualTo(200);
            // the landing page does not advertise an endpoint that is not served
            assertThat(Http.tryGet(exporter.port(), "/").orElseThrow().body())
                    .contains("/metrics")
                    .doesNotContain("/probe");
        }
    }

    @Test
    void probeServesWhenAskedFor() throws Exception {
        try (Exporter exporter = startAgentExporter(Map.of("PGMETRICS_PROBE_ENABLED", "true"))) {
            // served: an unreachable target is a scrape with pg_up 0, not a missing endpoint
            Http.Response r = Http.tryGet(exporter.port(), PROBE).orElseThrow();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("pg_up 0");
            assertThat(Http.tryGet(exporter.port(), "/").orElseThrow().body()).contains("/probe?target=");
        }
    }

    private static Exporter startAgentExporter(Map<String, String> env) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConfigSource source = new AgentStart(
                        AgentArguments.parse("127.0.0.1:" + port), env, new Properties(), System.nanoTime(), null)
                .configuration();
        return Exporter.start(source.load(), source);
    }
}
