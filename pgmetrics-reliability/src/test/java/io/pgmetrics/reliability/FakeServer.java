package io.pgmetrics.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener in place of a database: one that accepts and never answers (a hung server, a
 * firewall that swallows packets after the handshake), or one that resets every connection.
 */
final class FakeServer implements AutoCloseable {

    enum Behaviour {
        SILENT,
        RESET
    }

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    private FakeServer(ServerSocket socket, Behaviour behaviour) {
        this.socket = socket;
        this.behaviour = behaviour;
        this.acceptor = new Thread(this::acceptLoop, "fake-db-" + behaviour);
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Listens on {@code port} of every interface (a DSN's localhost may resolve to either family). */
    static FakeServer listen(int port, Behaviour behaviour) {
        return bind(new InetSocketAddress(port), behaviour);
    }

    /** Listens on one address only, e.g. 127.0.0.2 (all of 127/8 is loopback on Linux). */
    static FakeServer listenOn(String address, int port, Behaviour behaviour) {
        return bind(new InetSocketAddress(address, port), behaviour);
    }

    private static FakeServer bind(InetSocketAddress address, Behaviour behaviour) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(address, 128);
            return new FakeServer(s, behaviour);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                accepted.incrementAndGet();
                if (behaviour == Behaviour.RESET) {
                    s.setSoLinger(true, 0); // close with RST
                    s.close();
                } else {
                    held.add(s); // never read, never written
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
            acceptor.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
