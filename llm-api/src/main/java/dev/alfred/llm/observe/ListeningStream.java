package dev.alfred.llm.observe;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A stream whose call its listeners hear: the first part is the first output, each next part a time per
 * output, the end of the parts completes the call, a failure fails it, a close before the end cancels it;
 * whichever comes first ends the call, once. The call's contexts are current around each read until the
 * first part has been handed out (the reads that may send). A stream that becomes unreachable unended is abandoned: a cleaner
 * ends its call. Per part it reads the ticker and tells the listeners. Read by one thread at a time;
 * {@link #close()} from any.
 */
final class ListeningStream implements ChatStream, Iterator<ChatDelta> {

    /** One daemon thread for the whole library, which ends the calls of abandoned streams. */
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "alfred-llm-listener-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final ChatStream inner;
    private final Iterator<ChatDelta> parts;
    private final ObservedCall call;
    private final Cleaner.Cleanable cleanable;

    ListeningStream(ChatStream inner, ObservedCall call) {
        this.inner = inner;
        this.call = call;
        // the action holds the call, never this stream, or the stream would never become unreachable
        this.cleanable = CLEANER.register(this, call::abandon);
        ListenerContext.Scope scope = call.enterContext();
        try {
            this.parts = inner.iterator();
        } finally {
            scope.close();
        }
    }

    @Override
    public Iterator<ChatDelta> iterator() {
        return this;
    }

    @Override
    public boolean hasNext() {
        boolean more;
        ListenerContext.Scope scope = call.enterContext();
        try {
            more = parts.hasNext();
        } catch (RuntimeException | Error e) {
            fail(e);
            throw e;
        } finally {
            scope.close();
        }
        if (!more) {
            complete();
        }
        return more;
    }

    @Override
    public ChatDelta next() {
        ChatDelta part;
        ListenerContext.Scope scope = call.enterContext();
        try {
            part = parts.next();
        } catch (NoSuchElementException e) {
            complete();
            throw e;
        } catch (RuntimeException | Error e) {
            fail(e);
            throw e;
        } finally {
            scope.close();
        }
        call.output();
        return part;
    }

    /** Reads the rest through this stream, so that the parts are counted and the end is heard, then answers. */
    @Override
    public ChatResponse response() {
        while (hasNext()) {
            next();
        }
        return inner.response(); // the call has ended: complete() took this same response, or it failed
    }

    /** Cancels the call if it has not ended, then closes the stream inside, so its failure is not heard as one. */
    @Override
    public void close() {
        call.cancel();
        cleanable.clean();
        inner.close();
    }

    private void fail(Throwable e) {
        call.fail(e);
        cleanable.clean();
    }

    private void complete() {
        if (call.isEnded()) {
            return;
        }
        ChatResponse response;
        try {
            response = inner.response();
        } catch (RuntimeException | Error e) {
            fail(e);
            throw e;
        }
        call.complete(response);
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "ListeningStream{" + inner + "}";
    }
}
