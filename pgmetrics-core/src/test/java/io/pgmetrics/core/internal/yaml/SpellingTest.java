package io.pgmetrics.core.internal.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.yaml.YamlException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The spellings each format accepts and refuses, and the one message a refused value gets. */
class SpellingTest {

    private static YamlNode value(String text) {
        return YamlTree.parse("key: " + text + "\n", "f.yml")
                .asMap("the file")
                .get("key")
                .orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Spelling.class)
    void goYamlsBooleanWordsAreBooleansInEveryFormat(Spelling spelling) {
        for (String t : new String[] {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}) {
            assertThat(spelling.bool(value(t), "key")).as(t).isTrue();
        }
        for (String f : new String[] {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"}) {
            assertThat(spelling.bool(value(f), "key")).as(f).isFalse();
        }
        assertThat(spelling.bool(value("'yes'"), "key")).as("quoted").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tRUE", "T", "t", "1", "0", "F", "maybe", "enabled", "\"\""})
    void otherWordsAreRefusedWithTheirLocation(String text) {
        for (Spelling spelling : Spelling.values()) {
            assertThatThrownBy(() -> spelling.bool(value(text), "key"))
                    .as("%s in %s", text, spelling)
                    .isInstanceOf(YamlException.class)
                    .hasMessageMatching("f\\.yml:1:6: key must be true or false, but it is (text|a number)");
        }
    }

    @ParameterizedTest
    @EnumSource(Spelling.class)
    void nothingAListOrAMapIsNoScalarValue(Spelling spelling) {
        assertThatThrownBy(() -> spelling.bool(value(""), "key"))
                .hasMessage("f.yml:1:5: key must be true or false, but it is nothing");
        assertThatThrownBy(() -> spelling.integer(value("[1]"), "key"))
                .hasMessage("f.yml:1:6: key must be a whole number, but it is a list");
        assertThatThrownBy(() -> spelling.duration(value("{a: 1}"), "key"))
                .hasMessage("f.yml:1:6: key must be a duration, but it is a map");
    }

    @ParameterizedTest
    @EnumSource(Spelling.class)
    void wholeNumbersAreDecimal(Spelling spelling) {
        assertThat(spelling.integer(value("42"), "key")).isEqualTo(42);
        assertThat(spelling.integer(value("+7"), "key")).isEqualTo(7);
        assertThat(spelling.integer(value("-3"), "key")).isEqualTo(-3);
        assertThat(spelling.integer(value("'5'"), "key")).isEqualTo(5);
        for (String refused : new String[] {"0x10", "1.5", "1e3", "1_000", "ten"}) {
            assertThatThrownBy(() -> spelling.integer(value(refused), "key"))
                    .as(refused)
                    .hasMessageMatching("f\\.yml:1:6: key must be a whole number, but it is (text|a number)");
        }
        assertThatThrownBy(() -> spelling.integer(value("2147483648"), "key"))
                .hasMessage("f.yml:1:6: key is out of range; write a whole number from -2147483648 to 2147483647");
    }

    @ParameterizedTest
    @EnumSource(Spelling.class)
    void durationsAreGosAndOursAddDaysAndWeeks(Spelling spelling) {
        assertThat(spelling.duration(value("1m30s"), "key")).isEqualTo(Duration.ofSeconds(90));
        assertThat(spelling.duration(value("500ms"), "key")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> spelling.duration(value("soon"), "key"))
                .hasMessageStartingWith("f.yml:1:6: key: 'soon' is not a duration");
        if (spelling == Spelling.PGMETRICS) {
            assertThat(spelling.duration(value("2d"), "key")).isEqualTo(Duration.ofDays(2));
            assertThat(spelling.duration(value("1w"), "key")).isEqualTo(Duration.ofDays(7));
        } else {
            assertThatThrownBy(() -> spelling.duration(value("2d"), "key"))
                    .hasMessageStartingWith("f.yml:1:6: key: '2d' is not a duration");
        }
    }
}
