package dev.alfred.llm.http;

import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.http.error.ErrorMapper;
import dev.alfred.llm.http.internal.BodyReader;
import dev.alfred.llm.http.internal.RenewableClient;
import dev.alfred.llm.http.internal.WireLog;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP exchange with its deadlines, owned by the {@link HttpTransport} that made it. The request is
 * sent by the first {@link #headers()} call, on the calling thread, with the client's blocking
 * {@code send}: the JDK then does the exchange's work inline on that thread instead of handing each step
 * to its executor, as {@code sendAsync} does, which costs a thread hand-off per step. {@link #read()}
 * pulls body bytes; {@link #cancel()} aborts from any thread (waking a reader blocked in the send with an
 * interrupt, which the JDK turns into a cancelled exchange). Timeouts, connection failures and resets
 * become typed {@link LlmException}s, whose causes are scrubbed copies of what the JDK threw.
 *
 * <p>Every deadline (head, idle, total) starts when the request is sent, not when the exchange is made:
 * a stream may be read long after {@code stream()} returned. From the send until the exchange ends —
 * its body read to the end, a failure, a timeout or a cancel, whichever comes first — it is watched by
 * the {@link Watchdog} and listed by its transport, so that {@link HttpTransport#close()} can cancel it;
 * the moment it ends it leaves both. Not thread-safe except {@link #cancel()}: one reader.
 */
public final class HttpExchange {

    /** The most bytes {@link #readAll} allocates before they arrive, whatever Content-Length claims. */
    static final int PRESIZE_MAX = 64 * 1024 * 1024;

    /** The most of an error response's body that is read for its message. */
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    private static final AtomicLong IDS = new AtomicLong();

    private final HttpTransport owner;
    private final RenewableClient clients;
    private final HttpRequest request;
    private final byte[] body;
    private final ExchangeSettings settings;
    private final Watchdog watchdog;
    private final BodyReader reader;
    private final String target;
    private final Duration headTimeout;
    private final long id = IDS.incrementAndGet();
    private final Object lock = new Object();
    private final Deadlines deadlines = new Deadlines();
    private final AtomicBoolean ended = new AtomicBoolean();
    private HttpResponse.ResponseInfo response;
    private long sentAt;
    private long deadline;
    private long headDeadline;
    private Thread sending;
    private volatile boolean cancelled;
    private volatile boolean closedByOwner;
    private volatile boolean headTimedOut;

    HttpExchange(HttpTransport owner, RenewableClient clients, HttpRequest request, byte[] body,
                 ExchangeSettings settings, boolean stream) {
        this.owner = owner;
        this.settings = settings;
        this.clients = clients;
        this.request = request;
        this.body = body;
        this.watchdog = settings.watchdog();
        this.reader = new BodyReader(watchdog::now);
        this.headTimeout = stream && settings.headersTimeout().compareTo(settings.totalTimeout()) < 0
                ? settings.headersTimeout() : settings.totalTimeout();
        this.target = target(request.uri());
    }

    /** The host and port the JDK connects to for a URI, for messages: the scheme's port when it names none. */
    static String target(URI uri) {
        int p = uri.getPort();
        return uri.getHost() + ":" + (p != -1 ? p : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
    }

    /**
     * The exchange's number in this JVM, as the wire log tags its lines.
     *
     * @return the number
     */
    public long id() {
        return id;
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
        HttpClient client = clients.current();
        synchronized (lock) {
            if (cancelled) {
                throw cancelledException(null);
            }
            sending = Thread.currentThread();
            // Deadlines start now, at send; from here until it ends the exchange is watched and listed. Under
            // the lock, so that a cancel comes wholly before (no send) or after this (and ends what it started);
            // a close racing the send cancels it in opened(), on this thread.
            long now = watchdog.now();
            sentAt = now;
            deadline = now + settings.totalTimeout().toNanos();
            headDeadline = now + headTimeout.toNanos();
            watchdog.watch(deadlines);
            owner.opened(this);
        }
        if (WireLog.enabled()) {
            WireLog.request(id, request.method(), request.uri(), request.headers().map(), body, settings.errors().scrubber());
        }
        try {
            client.send(request, reader.handler());
            response = reader.head();
            if (WireLog.enabled()) {
                WireLog.response(id, response.statusCode(), response.headers().map(),
                        Duration.ofNanos(watchdog.now() - sentAt).toMillis(), settings.errors().scrubber());
            }
            return response;
        } catch (InterruptedException | IOException e) {
            end();
            if (e instanceof InterruptedException && !cancelled) {
                Thread.currentThread().interrupt();
                throw new LlmException(settings.providerId() + ": interrupted while waiting for the response",
                        settings.providerId(), -1, null, false, null, scrubbed(e));
            }
            if (headTimedOut || e instanceof ProtocolException) {
                // No head in time, or one the JDK rejected: the JDK may keep that socket (see RenewableClient).
                clients.retire(client);
            }
            if (headTimedOut) {
                throw noHead(e);
            }
            throw cancelled ? cancelledException(e) : connectionFailure(e);
        } catch (RuntimeException | Error e) {
            end();
            throw e;
        } finally {
            sent();
        }
    }

    /** The send returned or failed: cancel() no longer interrupts this thread, nor leaves it an interrupt. */
    private void sent() {
        synchronized (lock) {
            sending = null;
        }
        if (cancelled) {
            Thread.interrupted(); // clear the interrupt cancel() may have sent
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
            byte[] error = readAll(ERROR_BODY_LIMIT, false);
            throw settings.errors().fromResponse(head.statusCode(), head.headers(), error, error.length);
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
     * The next body bytes, after sending the request if that was not done yet. The end of the body ends
     * the exchange.
     *
     * @return a buffer with bytes, or null at the end of the body
     * @throws LlmException on idle timeout, total deadline, reset, or cancellation; each ends the exchange
     */
    public ByteBuffer read() {
        if (response == null) {
            headers();
        }
        Object next;
        try {
            next = reader.next();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new LlmException(settings.providerId() + ": interrupted while reading the response",
                    settings.providerId(), -1, null, false, null, scrubbed(e));
        } catch (BodyReader.BodyFailure e) {
            end();
            throw connectionFailure(e.getCause());
        }
        if (next instanceof ByteBuffer) {
            return (ByteBuffer) next;
        }
        if (next == BodyReader.Signal.END) {
            end();
            return null;
        }
        if (next == BodyReader.Signal.CANCELLED) {
            throw cancelledException(null);
        }
        cancel();
        if (watchdog.now() - deadline >= 0) {
            throw unavailable("response not complete within the total timeout of "
                    + settings.totalTimeout().toMillis() + " ms", null);
        }
        throw unavailable("no data for " + settings.idleTimeout().toMillis() + " ms (idle timeout)", null);
    }

    /**
     * Reads the whole body, up to a bound.
     *
     * @param limit          the most bytes to keep
     * @param failWhenLonger whether a longer body is an error (else it is cut at the bound)
     * @return the bytes
     * @throws LlmException on timeout, reset, or a body over the bound when that is an error (a
     *                      {@link ResponseTooLargeException}, not retryable)
     */
    public byte[] readAll(int limit, boolean failWhenLonger) {
        // sized from Content-Length when the server gives one (no doubling, no final copy), but never more up
        // front than PRESIZE_MAX: a length that is only claimed costs nothing until bytes arrive
        long declared = response == null ? -1 : response.headers().firstValueAsLong("content-length").orElse(-1);
        byte[] out = new byte[(int) Math.min(limit, declared >= 0 ? Math.min(declared, PRESIZE_MAX) : 8192)];
        int length = 0;
        ByteBuffer b;
        while ((b = read()) != null) {
            int n = b.remaining();
            if (length + (long) n > limit) {
                cancel();
                if (failWhenLonger) {
                    throw new ResponseTooLargeException(settings.errors().describe(response == null ? -1
                            : response.statusCode(), null, "response body larger than " + limit
                            + " bytes (raise maxBodyBytes with the provider's builder)", requestId()),
                            settings.providerId());
                }
                b.get(out = Arrays.copyOf(out, limit), length, limit - length);
                logBody(out, limit);
                return out;
            }
            if (length + n > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(limit, Math.max(length + n, out.length * 2L)));
            }
            b.get(out, length, n);
            length += n;
        }
        logBody(out, length);
        return length == out.length ? out : Arrays.copyOf(out, length);
    }

    private void logBody(byte[] bytes, int length) {
        if (WireLog.enabled()) {
            WireLog.body(id, bytes, length, settings.errors().scrubber());
        }
    }

    /**
     * Reads what is left of a body whose content is complete, so that the connection goes back to the
     * pool instead of being closed; gives up and cancels after a short wait or too many bytes. Ends the
     * exchange either way. Never throws.
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
                    if (next == BodyReader.Signal.END) {
                        end();
                    }
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
        } finally {
            if (!ended.get()) {
                cancel();
            }
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
        if (end() && WireLog.enabled()) {
            WireLog.ended(id, closedByOwner ? "cancelled: the provider was closed" : "cancelled");
        }
    }

    /** Cancels the exchange because its provider closed; a reader then learns it from the message. */
    void cancelByOwner() {
        closedByOwner = true;
        cancel();
    }

    /**
     * Whether the exchange has ended: its body read to the end, failed, timed out or cancelled.
     *
     * @return true once ended
     */
    public boolean isEnded() {
        return ended.get();
    }

    /** Ends the exchange, once: it leaves the watchdog and its transport. Returns whether this call ended it. */
    private boolean end() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        watchdog.unwatch(deadlines);
        owner.closed(this);
        return true;
    }

    private Throwable scrubbed(Throwable cause) {
        return settings.errors().scrubber().scrubbedCopy(cause);
    }

    private LlmException cancelledException(Throwable cause) {
        String why = closedByOwner ? ": the provider was closed" : "";
        return new LlmException(settings.providerId() + ": exchange cancelled" + why, settings.providerId(), -1,
                null, false, null, scrubbed(cause));
    }

    private LlmException unavailable(String message, Throwable cause) {
        return new ProviderUnavailableException(settings.errors().describe(-1, null, message, requestId()),
                settings.providerId(), -1, null, null, requestId(), scrubbed(cause));
    }

    /**
     * What a send that failed, or a body that failed, tells the caller. The requests carry no timeout of
     * their own, so the only timeout the JDK reports is the connect timeout; a cancel is told apart
     * before this (by the caller's flag or the reader's signal).
     */
    private LlmException connectionFailure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return unavailable("could not connect to " + target + " within "
                    + settings.connectTimeout().toMillis() + " ms", cause);
        }
        if (cause instanceof ConnectException) {
            return unavailable("could not connect to " + target + ": " + reason(cause, "connection refused"), cause);
        }
        return unavailable("connection to " + target + " failed: " + reason(cause, cause.getClass().getSimpleName()), cause);
    }

    private LlmException noHead(Throwable cause) {
        return unavailable("no response headers within " + headTimeout.toMillis() + " ms", cause);
    }

    private static String reason(Throwable t, String fallback) {
        return t.getMessage() == null || t.getMessage().isBlank() ? fallback : t.getMessage();
    }

    /**
     * The exchange's deadlines as the watchdog checks them: the head's until it arrives, then the idle
     * timeout while the reader waits, and the total deadline throughout.
     */
    private final class Deadlines implements Watchdog.Watched {
        @Override
        public boolean check(long now) {
            if (reader.head() == null) {
                if (now - headDeadline >= 0) {
                    headTimedOut = true;
                    cancel(); // which ends the exchange: it leaves the watch
                }
                return true;
            }
            if (now - deadline >= 0 || reader.waitedAtLeast(now, settings.idleTimeout().toNanos())) {
                reader.timeOut();
                return false;
            }
            return true;
        }
    }
}
