package io.pgmetrics.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void thePortIs9187UnlessTheEnvironmentOrTheFlagSaysOtherwise() {
        assertThat(DemoOptions.port(new String[0], NO_ENV)).isEqualTo(9187);
        assertThat(DemoOptions.port(new String[0], Map.of("PGMETRICS_DEMO_PORT", "9300")))
                .isEqualTo(9300);
        assertThat(DemoOptions.port(new String[] {"--port", "9400"}, Map.of("PGMETRICS_DEMO_PORT", "9300")))
                .isEqualTo(9400);
        assertThat(DemoOptions.port(new String[] {"--port=0"}, NO_ENV)).isZero();
        // exec:java passes an empty argument when demo.args is empty
        assertThat(DemoOptions.port(new String[] {""}, NO_ENV)).isEqualTo(9187);
    }

    @Test
    void mistakesSayWhatIsWrongAndHowToWriteIt() {
        assertThatThrownBy(() -> DemoOptions.port(new String[] {"--port"}, NO_ENV))
                .hasMessageStartingWith("--port needs a number")
                .hasMessageContaining("usage: Demo [--port N]");
        assertThatThrownBy(() -> DemoOptions.port(new String[] {"--port", "70000"}, NO_ENV))
                .hasMessageStartingWith("--port: '70000' is not a port (0..65535)");
        assertThatThrownBy(() -> DemoOptions.port(new String[0], Map.of("PGMETRICS_DEMO_PORT", "http")))
                .hasMessageStartingWith("PGMETRICS_DEMO_PORT: 'http' is not a port");
        assertThatThrownBy(() -> DemoOptions.port(new String[] {"--verbose"}, NO_ENV))
                .hasMessageStartingWith("unknown argument '--verbose'");
    }
}
