package io.pgmetrics.queries;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.QueryDef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The compact form of the built-in catalog is the YAML catalog, and loading it needs no YAML parser. */
class CompactCatalogTest {

    private static final Catalog YAML = BuiltinCatalog.fromYaml();

    @Test
    void thePackagedCompactCatalogEqualsTheYamlOneQueryByQuery() {
        Optional<Catalog> compact = BuiltinCatalog.compact();
        assertThat(compact)
                .as(
                        "target/classes/io/pgmetrics/queries/%s, written by the build from this YAML",
                        BuiltinCatalog.COMPACT)
                .isPresent();
        List<QueryDef> read = compact.get().queries();
        assertThat(read).hasSameSizeAs(YAML.queries());
        for (int i = 0; i < read.size(); i++) {
            QueryDef expected = YAML.queries().get(i);
            QueryDef actual = read.get(i);
            // field by field first, so a difference names what differs
            assertThat(actual.variants()).as(expected.name() + " variants").isEqualTo(expected.variants());
            assertThat(actual.columns()).as(expected.name() + " columns").isEqualTo(expected.columns());
            assertThat(actual).as(expected.name()).isEqualTo(expected);
        }
        assertThat(BuiltinCatalog.load()).isEqualTo(YAML);
    }

    @Test
    void everyQueryColumnAndVersionRangeSurvivesAWriteAndARead() throws IOException {
        assertThat(CompactCatalog.read(new ByteArrayInputStream(bytes(YAML, 42)), 42))
                .contains(YAML);
    }

    @Test
    void aResourceMadeFromOtherYamlOrInAnotherFormatIsNotUsed() throws IOException {
        byte[] bytes = bytes(YAML, 42);
        assertThat(CompactCatalog.read(new ByteArrayInputStream(bytes), 43)).isEmpty();
        bytes[7] = 99; // the format version
        assertThat(CompactCatalog.read(new ByteArrayInputStream(bytes), 42)).isEmpty();
    }

    @Test
    void loadingTheBuiltinCatalogLoadsNoYamlParser() throws Exception {
        try (IsolatedLoader loader = new IsolatedLoader()) {
            call(loader, "load");
            assertThat(loader.loadedAnyOf(YAML_CLASSES))
                    .as("YAML classes after load()")
                    .isEmpty();
            call(loader, "fromYaml"); // the check itself can see them
            assertThat(loader.loadedAnyOf(YAML_CLASSES)).isNotEmpty();
        }
    }

    private static final List<String> YAML_CLASSES = List.of(
            "io.pgmetrics.core.yaml.CatalogYaml",
            "com.fasterxml.jackson.core.JsonFactory",
            "org.yaml.snakeyaml.LoaderOptions");

    private static void call(ClassLoader loader, String method) throws Exception {
        Method m = Class.forName(BuiltinCatalog.class.getName(), true, loader).getDeclaredMethod(method);
        m.setAccessible(true);
        m.invoke(null);
    }

    private static byte[] bytes(Catalog catalog, long checksum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompactCatalog.write(catalog, checksum, out);
        return out.toByteArray();
    }

    /** The test's class path in a loader of its own (the platform loader as parent), which says what it loaded. */
    private static final class IsolatedLoader extends URLClassLoader {
        IsolatedLoader() {
            super(classPath(), ClassLoader.getPlatformClassLoader());
        }

        List<String> loadedAnyOf(List<String> names) {
            return names.stream().filter(n -> findLoadedClass(n) != null).toList();
        }

        private static URL[] classPath() {
            List<URL> urls = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                try {
                    urls.add(new File(entry).toURI().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return urls.toArray(URL[]::new);
        }
    }
}
