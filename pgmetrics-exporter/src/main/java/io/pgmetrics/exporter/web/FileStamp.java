package io.pgmetrics.exporter.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What identifies a version of a file without reading it: modification time, size and file key (inode).
 * Following symbolic links, so a Kubernetes secret volume (whose files are links into a directory that is
 * swapped atomically) shows a new stamp after an update.
 */
record FileStamp(long modifiedNanos, long size, Object fileKey, boolean exists) {

    static final FileStamp NONE = new FileStamp(0, 0, null, false);

    static FileStamp of(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            long nanos = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return new FileStamp(nanos, a.size(), a.fileKey(), true);
        } catch (IOException e) {
            return NONE;
        }
    }
}
