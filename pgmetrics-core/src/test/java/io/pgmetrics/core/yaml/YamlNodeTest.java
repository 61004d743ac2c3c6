package io.pgmetrics.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.internal.yaml.Spelling;
import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.internal.yaml.YamlNode.MapNode;
import io.pgmetrics.core.internal.yaml.YamlTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public reader: located nodes and typed getters whose messages say where, what and how to fix. */
class YamlNodeTest {

    private static MapNode map(String yaml) {
        return YamlTree.parse(yaml, "c.yml").asMap("the file");
    }

    @Test
    void typedGettersReadWhatTheySay() {
        MapNode m = map("name: app\non: yes\noff: False\nport: 5432\nlabels: {a: 1, b: x}\nhosts: [a, b]\nnone:\n");
        assertThat(m.get("name").orElseThrow().asText("name")).isEqualTo("app");
        assertThat(Spelling.GO_YAML.bool(m.get("on").orElseThrow(), "on")).isTrue();
        assertThat(Spelling.GO_YAML.bool(m.get("off").orElseThrow(), "off")).isFalse();
        assertThat(Spelling.GO_YAML.integer(m.get("port").orElseThrow(), "port"))
                .isEqualTo(5432);
        assertThat(m.get("labels").orElseThrow().asTextMap("labels"))
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("a", "1"),
                        org.assertj.core.api.Assertions.entry("b", "x"));
        assertThat(m.get("hosts").orElseThrow().asList("hosts"))
                .extracting(n -> n.asText("hosts[]"))
                .containsExactly("a", "b");
        YamlNode none = m.get("none").orElseThrow();
        assertThat(none.isNull()).isTrue();
        assertThat(none.asText("none")).isEmpty();
        assertThat(none.asList("none")).isEmpty();
        assertThat(none.asMap("none").entries()).isEmpty();
        assertThat(m.get("absent")).isEmpty();
    }

    @Test
    void wrongTypesNameTheKindNeverTheValue() {
        MapNode m = map("secret: hunter2\nlist: [1]\nbig: 99999999999\n");
        YamlNode secret = m.get("secret").orElseThrow();
        assertThatThrownBy(() -> Spelling.GO_YAML.integer(secret, "secret"))
                .isInstanceOf(YamlException.class)
                .hasMessage("c.yml:1:9: secret must be a whole number, but it is text");
        assertThatThrownBy(() -> Spelling.GO_YAML.bool(secret, "secret"))
                .hasMessage("c.yml:1:9: secret must be true or false, but it is text");
        assertThatThrownBy(() -> secret.asList("secret"))
                .hasMessage("c.yml:1:9: secret must be a list, but it is text; write each item on its own '- ' line");
        assertThatThrownBy(() -> m.get("list").orElseThrow().asText("list"))
                .hasMessage("c.yml:2:7: list must be text, but it is a list");
        assertThatThrownBy(() -> m.get("list").orElseThrow().asMap("list"))
                .hasMessage("c.yml:2:7: list must be a map of keys and values, but it is a list");
        assertThatThrownBy(() -> Spelling.GO_YAML.integer(m.get("big").orElseThrow(), "big"))
                .hasMessageStartingWith("c.yml:3:6: big is out of range");
    }

    @Test
    void unknownAndRepeatedKeysAreReportedAtTheKey() {
        MapNode m = map("colour: x\nsize: 1\nsize: 2\n");
        assertThat(m.keyProblems(Set.of("color", "size"), "shape"))
                .extracting(YamlException::getMessage)
                .containsExactly(
                        "c.yml:1:1: unknown key 'colour' in shape; known keys: color, size; did you mean 'color'?",
                        "c.yml:3:1: key 'size' is repeated in shape (first at line 2); keep one");
        assertThatThrownBy(() -> m.checkKeys(Set.of("colour", "size"), "shape"))
                .hasMessage("c.yml:3:1: key 'size' is repeated in shape (first at line 2); keep one");
        assertThatThrownBy(() -> m.toMap("shape")).hasMessageContaining("key 'size' is repeated");
        assertThatThrownBy(() -> map("labels: {a: 1, a: 2}\n")
                        .get("labels")
                        .orElseThrow()
                        .asTextMap("labels"))
                .hasMessage("c.yml:1:16: key 'a' is repeated in labels (first at line 1); keep one");
    }

    @Test
    void aKeyThatIsNotAPlainNameIsDescribedNotQuotedSinceItMayHoldAValue() {
        // A password line that lost its colon becomes a key; found by ParserFuzzTest (auth_modules).
        MapNode m = map("username: u\npassword 'pw-S3cr3t@x': 1\n");
        assertThat(m.keyProblems(Set.of("username", "password"), "userpass"))
                .extracting(YamlException::getMessage)
                .singleElement()
                .asString()
                .startsWith("c.yml:2:1: unknown key (a key of 22 characters that is not a plain name")
                .doesNotContain("S3cr3t");
        assertThat(map("a: 1\n'x y': 1\n'x y': 2\n").keyProblems(Set.of("a", "x y"), "m"))
                .extracting(YamlException::getMessage)
                .singleElement()
                .asString()
                .contains("is repeated")
                .doesNotContain("x y");
    }

    @Test
    void filesAreReadAsUtf8WithTheirNameInEveryMessage(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.yml"), "\uFEFFa: 1\n");
        assertThat(YamlTree.read(ok).asMap("the file").get("a").orElseThrow().location())
                .hasToString(ok + ":1:4");
        Path missing = dir.resolve("missing.yml");
        assertThatThrownBy(() -> YamlTree.read(missing))
                .isInstanceOf(YamlException.class)
                .hasMessage(missing + ": the file does not exist; check the path")
                .satisfies(
                        e -> assertThat(((YamlException) e).location().line()).isZero());
        Path latin1 = Files.write(dir.resolve("latin1.yml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> YamlTree.read(latin1))
                .hasMessageStartingWith(latin1 + ":1:4: the file is not UTF-8 text");
        assertThatThrownBy(() -> YamlTree.parse("a: [1\n", "s.yml"))
                .hasMessageStartingWith("s.yml:2:1: YAML syntax error");
    }
}
