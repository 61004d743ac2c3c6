package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The agent's native-heap trim: on unless the host's owner says false, and real on this JDK. */
class NativeHeapTrimTest {

    @Test
    void onUnlessTheVariableOrThePropertySaysFalse() {
        assertThat(NativeHeapTrim.enabled(Map.of(), new Properties())).isTrue();
        assertThat(NativeHeapTrim.enabled(Map.of(NativeHeapTrim.VARIABLE, "false"), new Properties()))
                .isFalse();
        assertThat(NativeHeapTrim.enabled(Map.of(NativeHeapTrim.VARIABLE, " TRUE "), new Properties()))
                .isTrue();
        Properties off = new Properties();
        off.setProperty(NativeHeapTrim.PROPERTY, "false");
        // the property, given on the host's command line, wins over the environment
        assertThat(NativeHeapTrim.enabled(Map.of(NativeHeapTrim.VARIABLE, "true"), off))
                .isFalse();
    }

    @Test
    void anythingButTrueOrFalseIsRefusedWithTheNameAndTheValue() {
        assertThatThrownBy(() -> NativeHeapTrim.enabled(Map.of(NativeHeapTrim.VARIABLE, "0"), new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PGMETRICS_AGENT_TRIM_NATIVE_HEAP (or -Dpgmetrics.agent.trimNativeHeap) is '0';"
                        + " write true or false");
    }

    /** Without the JVM's Instrumentation (a test, not an agent) the trim goes through the MBean server. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void withoutInstrumentationTheMBeanServerIsTheWay() {
        assertThat(DirectDiagnosticCommand.open(null)).isEmpty();
        assertThat(NativeHeapTrim.of(null).trim().isPresent())
                .isEqualTo(NativeHeapTrim.throughMBeanServer().trim().isPresent());
    }

    /** The JDK package stays closed to classes the agent did not open it to: here, this test's (the host's) module. */
    @Test
    void theJdkPackageIsClosedToEveryoneElse() {
        assertThatThrownBy(DiagnosticCommandCall::new)
                .isInstanceOf(java.lang.reflect.InaccessibleObjectException.class);
    }

    /** The build's JDK (17.0.9 or later) has System.trim_native_heap; on Linux it trims glibc's heap. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void theJvmsOwnCommandTrimsTheNativeHeap() {
        Runtime.Version v = Runtime.version();
        boolean hasCommand =
                v.feature() > 21 || (v.feature() == 21 && v.update() >= 1) || (v.feature() == 17 && v.update() >= 9);
        NativeHeapTrim trim = NativeHeapTrim.throughMBeanServer();
        assertThat(trim.trim().isPresent()).isEqualTo(hasCommand);
        if (hasCommand) {
            assertThat(trim.trim()).get().asString().startsWith("Trim native heap: RSS+Swap: ");
        }
    }
}
