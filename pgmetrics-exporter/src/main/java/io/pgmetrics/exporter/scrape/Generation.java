package io.pgmetrics.exporter.scrape;

import io.pgmetrics.core.connect.Dsn;
import io.pgmetrics.core.connect.DsnException;
import io.pgmetrics.core.connect.Secret;
import io.pgmetrics.exporter.config.AuthModules;
import io.pgmetrics.exporter.config.ConfigException;
import io.pgmetrics.exporter.config.ExporterConfig;
import io.pgmetrics.exporter.config.TargetSpec;
import io.pgmetrics.exporter.http.OutputRules;
import io.pgmetrics.exporter.probe.ProbeAllowList;
import io.pgmetrics.exporter.probe.ProbeEndpoint;
import io.pgmetrics.exporter.probe.ProbeParameters;
import io.pgmetrics.exporter.probe.ProbeTargets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything built from one configuration: catalog, targets, auth modules, the /probe cache. A
 * reload builds a new generation next to the running one and swaps it in only when it is complete;
 * the old one closes its pools once the scrapes still using it are done.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Generation {

    private static final System.Logger LOG = System.getLogger(Generation.class.getName());

    public final ExporterConfig config;
    public final Catalogs.Assembled assembled;
    final TargetSettings settings;
    public final List<Target> targets;
    public final Map<String, AuthModules.Module> authModules;
    public final ProbeTargets probes;
    public final ProbeAllowList allowList;
    public final ProbeParameters probeParameters;
    final OutputRules rules;
    private final AtomicInteger users = new AtomicInteger(1); // the exporter's own reference

    private Generation(
            ExporterConfig config,
            Catalogs.Assembled assembled,
            List<Target> targets,
            Map<String, AuthModules.Module> authModules) {
        this.config = config;
        this.assembled = assembled;
        this.settings = TargetSettings.of(config, assembled.catalog());
        this.targets = List.copyOf(targets);
        this.authModules = Map.copyOf(authModules);
        this.probes = new ProbeTargets(
                settings,
                config.probe().cacheSize(),
                config.probe().cacheTtl(),
                config.probe().maxConnections());
        this.allowList = new ProbeAllowList(config.probe().allowedTargets());
        this.probeParameters = new ProbeParameters(this.authModules.values());
        this.rules = new OutputRules(
                assembled.serverLabeled(),
                assembled.prefixed(),
                assembled.plainFamilies(),
                config.queries().metricPrefix());
    }

    /** Loads query files and auth modules and prepares the targets (connections open lazily, at the first scrape). */
    public static Generation build(ExporterConfig config, MetaState meta) throws ConfigException {
        Catalogs.Assembled assembled;
        try {
            assembled = Catalogs.assemble(config);
        } catch (Catalogs.LoadFailure e) {
            meta.files = e.files;
            throw e;
        }
        Map<String, AuthModules.Module> modules =
                new LinkedHashMap<>(config.probe().authModules());
        if (config.probe().authModulesFile().isPresent()) {
            var file = config.probe().authModulesFile().get();
            if (Files.exists(file)) {
                modules.putAll(AuthModules.load(file));
            } else if (config.probe().authModulesFileRequired()) {
                throw new ConfigException("flag --config.file: " + file + ": file not found");
            }
        }
        List<Dsn> dsns = new ArrayList<>();
        for (TargetSpec spec : config.targets()) {
            dsns.add(parse(spec));
        }
        Map<String, Integer> perServer = new HashMap<>();
        dsns.forEach(d -> perServer.merge(d.serverLabel(), 1, Integer::sum));
        boolean several = dsns.size() > 1;
        TargetSettings settings = TargetSettings.of(config, assembled.catalog());
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < dsns.size(); i++) {
            Dsn d = dsns.get(i);
            // two databases of one server: the label says which, or their series would collide
            String server = perServer.get(d.serverLabel()) > 1 ? d.serverLabel() + "/" + d.database() : d.serverLabel();
            targets.add(new Target(d, server, config.targets().get(i).origin(), settings, several));
        }
        meta.files = assembled.files();
        Generation g = new Generation(config, assembled, targets, modules);
        ProbeEndpoint.modulesWithoutAllowList(g).ifPresent(why -> LOG.log(System.Logger.Level.WARNING, why));
        LOG.log(
                System.Logger.Level.INFO,
                "configuration loaded: " + targets.size() + " target(s) "
                        + targets.stream().map(Target::redacted).toList() + ", "
                        + assembled.catalog().queries().size() + " queries in "
                        + assembled.catalog().collectors().size() + " collectors, naming profile "
                        + config.queries().namingProfile().name().toLowerCase(java.util.Locale.ROOT));
        return g;
    }

    static Dsn parse(TargetSpec spec) throws ConfigException {
        try {
            Dsn d = Dsn.parse(spec.dsn());
            if (spec.user().isPresent() || spec.password().isPresent()) {
                d = d.withCredentials(
                        spec.user().orElse(d.user().orElse(null)),
                        spec.password().map(Secret::new).orElse(d.password().orElse(null)));
            }
            return d;
        } catch (DsnException e) {
            throw new ConfigException(spec.origin() + ": not a usable connection string: " + e.getMessage());
        }
    }

    /** Takes a reference for one request; false when the generation is already closed. */
    public boolean acquire() {
        while (true) {
            int n = users.get();
            if (n == 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        if (users.decrementAndGet() == 0) {
            closeNow();
        }
    }

    /** Drops the exporter's own reference: closes now, or when the last request using it is done. */
    public void retire() {
        release();
    }

    private void closeNow() {
        targets.forEach(Target::close);
        probes.close();
    }
}
