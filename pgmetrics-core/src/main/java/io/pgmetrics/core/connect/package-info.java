/**
 * Where and how pgmetrics connects: {@link io.pgmetrics.core.connect.Dsn} reads the DSN forms
 * users already have (libpq URL, libpq key=value, pgjdbc URL) and turns them into a pgjdbc URL and
 * properties; a {@link io.pgmetrics.core.connect.ConnectionSource} hands connections to the engine,
 * either from an application's DataSource or from pgmetrics' own small capped pool.
 *
 * <p>Choices made here, for users of the field:
 *
 * <ul>
 *   <li>Unix sockets: libpq's default and {@code host=/dir} are kept in the DSN (and in the
 *       {@code server} label) but pgjdbc connects to {@code localhost} on the same port.
 *   <li>Parameter names: libpq's are translated for pgjdbc, pgjdbc's pass through, unknown ones
 *       are rejected with a suggestion, and pgjdbc settings that load classes or write files are
 *       refused in a DSN (a DSN may come from a {@code /probe?target=} request).
 *   <li>Timeouts for a monitor unless the DSN sets them: connect 5 s, login 10 s, socket 60 s;
 *       {@code application_name} = {@code pgmetrics}.
 *   <li>Secrets: a password is a {@link io.pgmetrics.core.connect.Secret}; no {@code toString},
 *       description or exception message here contains it, and a {@link
 *       io.pgmetrics.core.connect.DsnException} never repeats the DSN text at all.
 * </ul>
 */
package io.pgmetrics.core.connect;
