package dev.alfred.llm.observe;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A stream whose call its listeners hear: the first part is the first output, the end of the parts
 * completes the call, a failure fails it, and a close before the end cancels it; whichever comes first
 * ends the call, once. Per part it only counts. Read by one thread at a time; {@link #close()} from any.
 */
final class ListeningStream implements ChatStream, Iterator<ChatDelta> {

    private final ChatStream inner;
    private final Iterator<ChatDelta> parts;
    private final ObservedCall call;
    private long chunks;

    ListeningStream(ChatStream inner, ObservedCall call) {
        this.inner = inner;
        this.call = call;
        this.parts = inner.iterator();
    }

    @Override
    public Iterator<ChatDelta> iterator() {
        return this;
    }

    @Override
    public boolean hasNext() {
        boolean more;
        try {
            more = parts.hasNext();
        } catch (RuntimeException | Error e) {
            call.fail(e, chunks);
            throw e;
        }
        if (!more) {
            complete();
        }
        return more;
    }

    @Override
    public ChatDelta next() {
        ChatDelta part;
        try {
            part = parts.next();
        } catch (NoSuchElementException e) {
            complete();
            throw e;
        } catch (RuntimeException | Error e) {
            call.fail(e, chunks);
            throw e;
        }
        if (chunks++ == 0) {
            call.firstOutput();
        }
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
        call.cancel(chunks);
        inner.close();
    }

    private void complete() {
        if (call.isEnded()) {
            return;
        }
        ChatResponse response;
        try {
            response = inner.response();
        } catch (RuntimeException | Error e) {
            call.fail(e, chunks);
            throw e;
        }
        call.complete(response, chunks);
    }

    @Override
    public String toString() {
        return "ListeningStream{" + inner + "}";
    }
}
