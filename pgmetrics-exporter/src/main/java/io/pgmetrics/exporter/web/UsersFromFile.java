package io.pgmetrics.exporter.web;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code basic_auth_users} of the web config file, re-read when the file changes (as the toolkit, which
 * reads the file at every request, would see them). A file that no longer parses is logged and the users
 * read before stay in force.
 */
final class UsersFromFile implements Supplier<Map<String, BcryptHash>> {

    private static final System.Logger LOG = System.getLogger(UsersFromFile.class.getName());

    private record Snapshot(Map<String, BcryptHash> users, FileStamp stamp) {}

    private final Path file;
    private volatile Snapshot current;
    private volatile FileStamp lastFailure = FileStamp.NONE;

    UsersFromFile(Path file, Map<String, BcryptHash> users, FileStamp stamp) {
        this.file = file;
        this.current = new Snapshot(users, stamp);
    }

    @Override
    public Map<String, BcryptHash> get() {
        Snapshot now = current;
        FileStamp stamp = FileStamp.of(file);
        if (stamp.equals(now.stamp()) || stamp.equals(lastFailure)) {
            return now.users();
        }
        synchronized (this) {
            now = current;
            if (stamp.equals(now.stamp()) || stamp.equals(lastFailure)) {
                return now.users();
            }
            try {
                Map<String, BcryptHash> users = WebConfigParser.parse(
                                Files.readString(file, StandardCharsets.UTF_8), file)
                        .users();
                current = new Snapshot(users, stamp);
                if (!users.equals(now.users())) {
                    LOG.log(Level.INFO, file + ": basic_auth_users re-read, " + users.size() + " user(s)");
                }
                return users;
            } catch (WebConfigException e) {
                lastFailure = stamp;
                LOG.log(
                        Level.WARNING,
                        "the web config file changed but cannot be used; keeping the previous basic_auth_users: "
                                + e.getMessage());
            } catch (IOException e) {
                lastFailure = stamp;
                LOG.log(
                        Level.WARNING,
                        file + ": cannot re-read the web config file ("
                                + e.getClass().getSimpleName() + "); keeping the previous basic_auth_users");
            }
            return now.users();
        }
    }
}
