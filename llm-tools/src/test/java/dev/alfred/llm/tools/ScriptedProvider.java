package dev.alfred.llm.tools;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.Usage;
import dev.alfred.llm.spi.AbstractChatStream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider on plain objects: each round streams the parts scripted for it and ends with its finish
 * reason; every request is kept. Fast enough to run per mutant, and exact about what each round sent.
 */
final class ScriptedProvider implements LlmProvider {

    /** One round: its parts and how it ended (or the failure it ends with, when not null). */
    record Round(List<ChatDelta> parts, FinishReason finish, LlmException failure) {
        Round(List<ChatDelta> parts, FinishReason finish) {
            this(parts, finish, null);
        }
    }

    private final String id;
    /** Whether it holds a model to a strict schema, as OpenAI itself does and Ollama does not. */
    volatile boolean strictSchemas = true;
    private final Deque<Round> rounds = new ArrayDeque<>();
    final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private Round fallback;
    /** Streams closed by their reader. */
    final AtomicInteger closed = new AtomicInteger();
    /** What {@link #endpoint()} answers (null for a provider that breaks its contract). */
    volatile ProviderEndpoint endpoint = ProviderEndpoint.UNKNOWN;
    /** Runs as each stream is asked for, before it is made. */
    volatile Runnable beforeStream = () -> { };

    ScriptedProvider(String id) {
        this.id = id;
    }

    ScriptedProvider() {
        this("kimi");
    }

    /** A round that asks for one call. */
    static Round call(String id, String name, String arguments) {
        return new Round(List.of(new ChatDelta.ToolCallStart(0, id, name), new ChatDelta.ToolCallArguments(0, arguments)),
                FinishReason.TOOL_CALLS);
    }

    /** A round that answers with text. */
    static Round text(String... pieces) {
        List<ChatDelta> parts = new ArrayList<>();
        for (String p : pieces) {
            parts.add(ChatDelta.text(p));
        }
        return new Round(parts, FinishReason.STOP);
    }

    /** A round that fails after its parts. */
    static Round failing(LlmException failure, ChatDelta... parts) {
        return new Round(List.of(parts), FinishReason.STOP, failure);
    }

    /** A round of the given parts. */
    static Round of(FinishReason finish, ChatDelta... parts) {
        return new Round(List.of(parts), finish);
    }

    ScriptedProvider then(Round round) {
        rounds.add(round);
        return this;
    }

    /** What every round answers once the script is used up. */
    ScriptedProvider always(Round round) {
        fallback = round;
        return this;
    }

    ChatRequest request(int i) {
        return requests.get(i);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ProviderEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public Capabilities capabilities() {
        Capabilities c = Capabilities.of(Capabilities.Feature.TOOLS, Capabilities.Feature.PARALLEL_TOOL_CALLS,
                Capabilities.Feature.BUILTIN_TOOLS, Capabilities.Feature.STRICT_SCHEMA);
        return strictSchemas ? c : c.without(Capabilities.Feature.STRICT_SCHEMA);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        try (ChatStream s = stream(request)) {
            return s.response();
        }
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        requests.add(request);
        beforeStream.run();
        Round r;
        synchronized (rounds) {
            r = rounds.isEmpty() ? fallback : rounds.poll();
        }
        if (r == null) {
            throw new IllegalStateException("no round scripted for request " + requests.size());
        }
        Deque<ChatDelta> parts = new ArrayDeque<>(r.parts());
        ChatStream inner = new AbstractChatStream(id) {
            @Override
            protected ChatDelta fetch() {
                if (!parts.isEmpty()) {
                    return parts.poll();
                }
                if (r.failure() != null) {
                    throw r.failure();
                }
                reportUsage(Usage.of(1, 1, 2));
                reportFinishReason(r.finish());
                return null;
            }

            @Override
            protected void abort() {
            }
        };
        return new ChatStream() {
            @Override
            public Iterator<ChatDelta> iterator() {
                return inner.iterator();
            }

            @Override
            public ChatResponse response() {
                return inner.response();
            }

            @Override
            public void close() {
                closed.incrementAndGet();
                inner.close();
            }
        };
    }
}
