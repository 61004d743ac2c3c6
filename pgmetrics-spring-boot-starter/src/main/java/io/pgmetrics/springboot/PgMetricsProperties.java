package io.pgmetrics.springboot;

import io.pgmetrics.core.catalog.NamingProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The {@code pgmetrics.*} properties. Without any, the application's DataSource is monitored with the built-in
 * catalog under postgres_exporter's names.
 */
@ConfigurationProperties(prefix = "pgmetrics")
public class PgMetricsProperties {

    /** Whether the database's metrics and the pgmetrics health indicator are configured. */
    private boolean enabled = true;

    /**
     * How metric names are spelled: compat keeps postgres_exporter's names (dashboards keep working), strict
     * follows the Prometheus naming rules (counters end in _total, base units).
     */
    private NamingProfile profile = NamingProfile.COMPAT;

    /**
     * Collectors switched on (true) or off (false) by name, e.g. pgmetrics.collectors.stat_statements=true; the
     * others keep their default.
     */
    private Map<String, Boolean> collectors = new LinkedHashMap<>();

    /**
     * At most one collection per interval: every meter read within it is served from the last one. Match the
     * Prometheus scrape interval.
     */
    private Duration refreshInterval = Duration.ofSeconds(15);

    private final QueryFiles queryFiles = new QueryFiles();

    private final Connection connection = new Connection();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public NamingProfile getProfile() {
        return profile;
    }

    public void setProfile(NamingProfile profile) {
        this.profile = profile;
    }

    public Map<String, Boolean> getCollectors() {
        return collectors;
    }

    public void setCollectors(Map<String, Boolean> collectors) {
        this.collectors = collectors;
    }

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    public QueryFiles getQueryFiles() {
        return queryFiles;
    }

    public Connection getConnection() {
        return connection;
    }

    /**
     * Custom query files added to the built-in catalog, by format (a query named like a built-in one replaces
     * it). Locations are Spring resources: classpath:queries.yaml, file:/etc/app/queries.yaml.
     */
    public static class QueryFiles {

        /** Files in pgmetrics' own catalog format (docs/query-authors.md). */
        private List<Resource> pgmetrics = new ArrayList<>();

        /** Files in postgres_exporter's format (its --extend.query-path). */
        private List<Resource> postgresExporter = new ArrayList<>();

        /** Files in CloudNativePG's custom-queries format. */
        private List<Resource> cnpg = new ArrayList<>();

        /** The prefix of CloudNativePG metric names (its own is cnpg_; empty for none). */
        private String cnpgPrefix = "cnpg_";

        public List<Resource> getPgmetrics() {
            return pgmetrics;
        }

        public void setPgmetrics(List<Resource> pgmetrics) {
            this.pgmetrics = pgmetrics;
        }

        public List<Resource> getPostgresExporter() {
            return postgresExporter;
        }

        public void setPostgresExporter(List<Resource> postgresExporter) {
            this.postgresExporter = postgresExporter;
        }

        public List<Resource> getCnpg() {
            return cnpg;
        }

        public void setCnpg(List<Resource> cnpg) {
            this.cnpg = cnpg;
        }

        public String getCnpgPrefix() {
            return cnpgPrefix;
        }

        public void setCnpgPrefix(String cnpgPrefix) {
            this.cnpgPrefix = cnpgPrefix;
        }
    }

    /**
     * A dedicated connection, e.g. as a monitoring role that is a member of pg_monitor. Without a url the
     * application's DataSource is used: no extra connection, but its role needs the rights the queries need, its
     * pool lends the connections and database-scoped queries see its database only.
     */
    public static class Connection {

        /**
         * The server to monitor: a JDBC URL, a libpq URL (postgresql://...) or key=value pairs. pgmetrics keeps a
         * small pool of its own for it.
         */
        private String url;

        /** The role to connect as; overrides a user written in the url. */
        private String username;

        /** Its password; overrides one written in the url. Never logged or shown. */
        private String password;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }
}
