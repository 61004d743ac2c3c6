package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentArgumentsTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void noArgumentMeansTheExporterPortOnEveryInterface(String argument) {
        assertThat(AgentArguments.parse(argument)).isEqualTo(new AgentArguments("", 9187, Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "9187                           | ''          | 9187  | ''",
                "1                              | ''          | 1     | ''",
                "65535                          | ''          | 65535 | ''",
                "127.0.0.1:19187                | 127.0.0.1   | 19187 | ''",
                "localhost:9187                 | localhost   | 9187  | ''",
                "0.0.0.0:9187:agent.yaml        | 0.0.0.0     | 9187  | agent.yaml",
                "9187:/etc/pgmetrics/agent.yaml | ''          | 9187  | /etc/pgmetrics/agent.yaml",
                "9187:C:\\pgmetrics\\agent.yaml | ''          | 9187  | C:\\pgmetrics\\agent.yaml",
                "[::1]:9187                     | ::1         | 9187  | ''",
                "[fe80::1%eth0]:9187:a.yml      | fe80::1%eth0| 9187  | a.yml",
                "db-host.example:9187:a:b.yml   | db-host.example | 9187 | a:b.yml",
            })
    void readsHostPortAndConfigFile(String argument, String host, int port, String file) {
        AgentArguments parsed = AgentArguments.parse(argument);
        assertThat(parsed.host()).isEqualTo(host);
        assertThat(parsed.port()).isEqualTo(port);
        assertThat(parsed.configFile()).isEqualTo(file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file)));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "abc                | 'abc' is not a port number",
                "localhost:         | the port is missing",
                "localhost:http     | 'http' is not a port number",
                "0                  | port 0 is not in 1..65535",
                "65536              | port 65536 is not in 1..65535",
                "99999999999        | port 99999999999 is not in 1..65535",
                "9187:              | the configuration file after the last ':' is empty",
                "[::1               | is not closed",
                "[::1]9187          | a port must follow the IPv6 address",
                "-1                 | '-1' is not a port number",
            })
    void rejectsMalformedArgumentsWithTheExpectedForm(String argument, String reason) {
        assertThatThrownBy(() -> AgentArguments.parse(argument))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agent argument '" + argument.strip() + "'")
                .hasMessageContaining(reason)
                .hasMessageContaining("expected [host:]port[:config.yaml]");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"9187 | :9187", "127.0.0.1:9187 | 127.0.0.1:9187", "[::1]:9187 | [::1]:9187"})
    void showsTheListenAddressAsUsersWriteIt(String argument, String shown) {
        assertThat(AgentArguments.parse(argument).listenAddress()).isEqualTo(shown);
    }
}
