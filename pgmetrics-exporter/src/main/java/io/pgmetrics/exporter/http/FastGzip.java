package io.pgmetrics.exporter.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * gzip at deflate's fastest level. The exposition is repetitive text: level 1 still shrinks it
 * about sevenfold (129 KB to 19 KB for the default collectors), in 40 % of the default level's
 * time, which was the largest part of a scrape's CPU after the database work. The deflater (zlib's
 * state, about 256 KB of native memory) is reused from response to response instead of being
 * allocated, cleared and freed for each, as GZIPOutputStream would; the gzip header and trailer
 * are written here for that (RFC 1952, the bytes GZIPOutputStream writes).
 */
final class FastGzip extends DeflaterOutputStream {
    /** Magic, deflate, no flags, no time, no extra flags, OS "unknown": what GZIPOutputStream writes. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** Deflaters kept for the next responses; more than this many at once are freed after use. */
    private static final int KEPT = 2;

    private static final ConcurrentLinkedQueue<Deflater> IDLE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger IDLE_COUNT = new AtomicInteger();

    private final CRC32 crc = new CRC32();
    private boolean finished;
    private boolean returned;

    FastGzip(OutputStream out) throws IOException {
        super(out, takeDeflater(), 8192);
        out.write(HEADER);
    }

    private static Deflater takeDeflater() {
        Deflater d = IDLE.poll();
        if (d == null) {
            return new Deflater(Deflater.BEST_SPEED, true);
        }
        IDLE_COUNT.decrementAndGet();
        return d;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        super.write(b, off, len);
        crc.update(b, off, len);
    }

    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        super.finish();
        int size = (int) def.getBytesRead(); // ISIZE: the input's length modulo 2^32
        int sum = (int) crc.getValue();
        out.write(new byte[] {
            (byte) sum, (byte) (sum >> 8), (byte) (sum >> 16), (byte) (sum >> 24),
            (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)
        });
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            giveBack();
        }
    }

    private void giveBack() {
        if (!returned) {
            returned = true;
            def.reset();
            if (IDLE_COUNT.incrementAndGet() <= KEPT) {
                IDLE.add(def);
            } else {
                IDLE_COUNT.decrementAndGet();
                def.end();
            }
        }
    }
}
