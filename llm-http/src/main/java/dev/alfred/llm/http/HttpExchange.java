package dev.alfred.llm.http;

import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.http.error.ErrorMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;

/**
 * One HTTP exchange with its deadlines, for providers on {@code java.net.http}. The request is sent by the first {@link #headers()} call, on
 * the calling thread, with the client's blocking {@code send}: the JDK then does the exchange's work
 * inline on that thread instead of handing each step to its executor, as {@code sendAsync} does, which
 * costs a thread hand-off per step. {@link #read()} pulls body bytes with the idle timeout and the
 * total deadline, and {@link #cancel()} aborts from any thread (waking a reader blocked in the send
 * with an interrupt, which the JDK turns into a cancelled exchange). Timeouts, connection failures and
 * resets become typed {@link LlmException}s. Every deadline starts when the request is sent, not when
 * the exchange is created: a stream may be read long after {@code stream()} returned.
 */
public final class HttpExchange {

    /** The most of an error response's body that is read for its message. */
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final ExchangeSettings settings;
    private final RenewableClient clients;
    private final HttpRequest request;
    private final Watchdog watchdog;
    private final BodyReader reader;
    private final String target;
    private final Object lock = new Object();
    private HttpResponse.ResponseInfo response;
    private final Duration headTimeout;
    private long deadline;
    private long headDeadline;
    private Thread sending;
    private volatile boolean cancelled;
    private volatile boolean headTimedOut;

    /**
     * Prepares the exchange; nothing is sent before {@link #headers()}.
     *
     * @param clients  the provider's client, retired after a protocol failure
     * @param request  the request
     * @param settings timeouts and error mapping
     * @param stream   whether the answer streams: then its head must come within the headers timeout;
     *                 a non-stream answer's head comes only after the whole generation, within the total
     */
    public HttpExchange(RenewableClient clients, HttpRequest request, ExchangeSettings settings, boolean stream) {
        this.settings = settings;
        this.clients = clients;
        this.request = request;
        this.watchdog = settings.watchdog();
        this.reader = new BodyReader(watchdog);
        this.headTimeout = stream && settings.headersTimeout().compareTo(settings.totalTimeout()) < 0
                ? settings.headersTimeout() : settings.totalTimeout();
        this.target = request.uri().getHost() + ":" + port(request);
    }

    private static int port(HttpRequest r) {
        int p = r.uri().getPort();
        return p > 0 ? p : "https".equalsIgnoreCase(r.uri().getScheme()) ? 443 : 80;
    }

    /**
     * Sends the request, if not yet sent, and waits for the response head.
     *
     * @return the head; the body is read with {@link #read()}
     * @throws LlmException when the exchange fails, times out or is cancelled before the head arrives
     */
    public HttpResponse.ResponseInfo headers() {
        if (response != null) {
            return response;
        }
        synchronized (lock) {
            if (cancelled) {
                throw cancelledException(null);
            }
            sending = Thread.currentThread();
        }
        // Deadlines start now, at send.
        long now = watchdog.now();
        deadline = now + settings.totalTimeout().toNanos();
        headDeadline = now + headTimeout.toNanos();
        HttpClient client = clients.current();
        // The watchdog bounds the wait for the head (a JDK request timeout would cost a selector timer).
        watchdog.watch(t -> {
            if (reader.head() != null || cancelled) {
                return false;
            }
            if (t - headDeadline >= 0) {
                headTimedOut = true;
                cancel();
                return false;
            }
            return true;
        });
        try {
            client.send(request, reader.handler());
            response = reader.head();
            reader.watch(settings.idleTimeout().toNanos(), deadline);
            return response;
        } catch (InterruptedException e) {
            if (!cancelled) {
                Thread.currentThread().interrupt();
                throw new LlmException(settings.providerId() + ": interrupted while waiting for the response",
                        settings.providerId(), -1, null, false, null, e);
            }
            if (headTimedOut) {
                clients.retire(client);
                throw noHead(e);
            }
            throw cancelledException(e);
        } catch (IOException e) {
            if (headTimedOut) {
                clients.retire(client);
                throw noHead(e);
            }
            if (e instanceof ProtocolException) {
                // The JDK rejected the response head; on JDK 17 it keeps that socket (see RenewableClient).
                clients.retire(client);
            }
            throw cancelled ? cancelledException(e) : connectionFailure(e);
        } finally {
            synchronized (lock) {
                sending = null;
            }
            if (cancelled) {
                Thread.interrupted(); // clear the interrupt cancel() may have sent
            }
        }
    }

    /**
     * Sends the request, if not yet sent, and returns the head of a successful (200) response; any
     * other status has its body read (up to 64 KiB) and is thrown as the mapped exception.
     *
     * @return the head of a 200 response
     * @throws LlmException when the exchange fails, or the status is not 200
     */
    public HttpResponse.ResponseInfo successfulHeaders() {
        HttpResponse.ResponseInfo head = headers();
        if (head.statusCode() != 200) {
            byte[] body = readAll(ERROR_BODY_LIMIT, false);
            throw settings.errors().fromResponse(head.statusCode(), head.headers(), body, body.length);
        }
        return head;
    }

    /**
     * Reads a body that should have been something else, for its message: up to 64 KiB, cut beyond.
     *
     * @return the bytes
     * @throws LlmException on timeout, reset or cancellation
     */
    public byte[] readUnexpectedBody() {
        return readAll(ERROR_BODY_LIMIT, false);
    }

    /**
     * The response's request id (the header the provider's {@link ErrorMapper} names), scrubbed, for
     * messages.
     *
     * @return the request id, or null when the response had none or has not arrived
     */
    public String requestId() {
        return response == null ? null : settings.errors().requestId(response.headers());
    }

    /**
     * The next body bytes.
     *
     * @return a buffer with bytes, or null at the end of the body
     * @throws LlmException on idle timeout, total deadline, reset, or cancellation
     */
    public ByteBuffer read() {
        Object next;
        try {
            next = reader.next();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new LlmException(settings.providerId() + ": interrupted while reading the response",
                    settings.providerId(), -1, null, false, null, e);
        } catch (BodyReader.BodyFailure e) {
            throw connectionFailure(e.getCause());
        }
        if (next instanceof ByteBuffer) {
            return (ByteBuffer) next;
        }
        if (next == BodyReader.Signal.END) {
            return null;
        }
        if (next == BodyReader.Signal.CANCELLED) {
            throw cancelledException(null);
        }
        cancel();
        if (remaining() <= 0) {
            throw unavailable("response not complete within the total timeout of "
                    + settings.totalTimeout().toMillis() + " ms", null);
        }
        throw unavailable("no data for " + settings.idleTimeout().toMillis() + " ms (idle timeout)", null);
    }

    /**
     * Reads the whole body, up to a bound.
     *
     * @param limit the most bytes to keep
     * @param failWhenLonger whether a longer body is an error (else it is cut at the bound)
     * @return the bytes
     * @throws LlmException on timeout, reset, or a body over the bound when that is an error
     */
    public byte[] readAll(int limit, boolean failWhenLonger) {
        byte[] out = new byte[Math.min(limit, 8192)];
        int length = 0;
        ByteBuffer b;
        while ((b = read()) != null) {
            int n = b.remaining();
            if (length + n > limit) {
                cancel();
                if (failWhenLonger) {
                    throw unavailable("response body larger than " + limit + " bytes", null);
                }
                b.get(out = Arrays.copyOf(out, limit), length, limit - length);
                return out;
            }
            if (length + n > out.length) {
                out = Arrays.copyOf(out, Math.min(limit, Math.max(length + n, out.length * 2)));
            }
            b.get(out, length, n);
            length += n;
        }
        return Arrays.copyOf(out, length);
    }

    /**
     * Reads what is left of a body whose content is complete, so that the connection goes back to the
     * pool instead of being closed; gives up (and the caller's cancel closes it) after a short wait or
     * too many bytes. Never throws.
     *
     * @param maxNanos the longest wait for the end of the body
     * @param maxBytes the most bytes to read and discard
     */
    public void drain(long maxNanos, int maxBytes) {
        long until = System.nanoTime() + maxNanos;
        int read = 0;
        try {
            while (read <= maxBytes) {
                Object next = reader.next(Math.max(1, until - System.nanoTime()));
                if (!(next instanceof ByteBuffer)) {
                    return;
                }
                ByteBuffer b = (ByteBuffer) next;
                read += b.remaining();
                b.position(b.limit());
                if (System.nanoTime() >= until) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // the body failed after its content was complete: nothing to keep
        }
    }

    /** Aborts the exchange and frees its connection. Safe from any thread, more than once. */
    public void cancel() {
        synchronized (lock) {
            cancelled = true;
            if (sending != null) {
                sending.interrupt();
            }
        }
        reader.cancel();
    }

    private long remaining() {
        return deadline - watchdog.now();
    }

    private LlmException cancelledException(Throwable cause) {
        return new LlmException(settings.providerId() + ": exchange cancelled", settings.providerId(), -1, null, false,
                null, cause);
    }

    private LlmException unavailable(String message, Throwable cause) {
        return new ProviderUnavailableException(settings.errors().describe(-1, null, message, null),
                settings.providerId(), -1, null, null, cause);
    }

    private LlmException connectionFailure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return unavailable("could not connect to " + target + " within "
                    + settings.connectTimeout().toMillis() + " ms", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return noHead(cause);
        }
        if (cause instanceof ConnectException) {
            return unavailable("could not connect to " + target + ": " + reason(cause, "connection refused"), cause);
        }
        if (cause instanceof IOException) {
            return unavailable("connection to " + target + " failed: " + reason(cause, cause.getClass().getSimpleName()), cause);
        }
        if (cause instanceof CancellationException) {
            return cancelledException(cause);
        }
        return unavailable("exchange failed: " + cause, cause);
    }

    private LlmException noHead(Throwable cause) {
        return unavailable("no response headers within " + headTimeout.toMillis() + " ms", cause);
    }

    private static String reason(Throwable t, String fallback) {
        return t.getMessage() == null || t.getMessage().isBlank() ? fallback : t.getMessage();
    }
}
