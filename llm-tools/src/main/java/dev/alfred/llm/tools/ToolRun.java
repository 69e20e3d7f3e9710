package dev.alfred.llm.tools;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.Usage;
import dev.alfred.llm.schema.SchemaDialect;
import dev.alfred.llm.schema.SchemaViolation;
import dev.alfred.llm.schema.StructuredOutputException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of a {@link ToolLoop}, read by pulling: iterate its {@link ToolLoopEvent}s (reading drives the
 * rounds on the reading thread), then take {@link #response()}, {@link #transcript()} and {@link #usage()}.
 * One reader at a time; {@link #close()} from any thread cancels the stream under way and interrupts the
 * tools running, and the reader gets an {@link LlmException}. Always close it.
 */
public final class ToolRun implements Iterable<ToolLoopEvent>, AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** The most characters of a tool's error message the model is told, after scrubbing. */
    private static final int MAX_ERROR_CHARS = 1000;

    private final ToolLoop loop;
    /** The request with the loop's tools declared; each round sends it with the transcript as its messages. */
    private final ChatRequest request;
    private final List<ChatMessage> transcript;
    private final ArrayDeque<ToolLoopEvent> pending = new ArrayDeque<>();
    private final Map<String, Integer> callsPerTool = new HashMap<>();
    private final Events events = new Events();
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile ChatStream stream;
    private volatile List<Future<Outcome>> running = List.of();
    private ExecutorService executor;
    private Iterator<ChatDelta> deltas;
    private List<ToolCall> due;
    private ChatResponse roundResponse;
    private ChatResponse finalResponse;
    private LlmException failure;
    private Usage usage = Usage.ZERO;
    private int round;
    private int calls;

    ToolRun(ToolLoop loop, ChatRequest request) {
        this.loop = loop;
        this.transcript = new ArrayList<>(request.messages());
        SchemaDialect dialect = SchemaDialect.forProvider(loop.provider.id());
        ChatRequest.Builder withTools = request.toBuilder();
        for (Tool<?> t : loop.tools.values()) {
            if (request.tools().stream().noneMatch(d -> d.name().equals(t.name()))) {
                withTools.tools(t.definition(dialect));
            }
        }
        this.request = withTools.build();
    }

    /**
     * The live iterator of this run's events; every call returns the same one.
     *
     * @return the iterator
     * @throws LlmException from {@code hasNext()} or {@code next()} when a round fails, a bound is reached
     *                      ({@link ToolLoopLimitException}) or the run was closed
     */
    @Override
    public Iterator<ToolLoopEvent> iterator() {
        return events;
    }

    /**
     * Reads the run to its end, if it has not been, and returns the model's final answer.
     *
     * @return the answer of the last round
     * @throws LlmException as the iterator does
     */
    public ChatResponse response() {
        while (events.hasNext()) {
            events.next();
        }
        return finalResponse;
    }

    /**
     * Every message so far: the request's, then each round's answer (text, reasoning, tool calls, provider
     * state) and the tool results, in order. Safe from any thread.
     *
     * @return a copy
     */
    public List<ChatMessage> transcript() {
        synchronized (lock) {
            return List.copyOf(transcript);
        }
    }

    /**
     * The tokens of all rounds so far.
     *
     * @return the sum
     */
    public Usage usage() {
        synchronized (lock) {
            return usage;
        }
    }

    /**
     * Cancels the run: the stream under way is closed and running tools are interrupted. Safe from any
     * thread, and more than once.
     */
    @Override
    public void close() {
        closed = true;
        ChatStream s = stream;
        if (s != null) {
            s.close();
        }
        for (Future<Outcome> f : running) {
            f.cancel(true);
        }
        synchronized (lock) {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    /** The events, driven by reading. */
    private final class Events implements Iterator<ToolLoopEvent> {
        @Override
        public boolean hasNext() {
            if (failure != null) {
                throw failure;
            }
            try {
                return advance();
            } catch (LlmException e) {
                failure = closed && !(e instanceof ToolLoopLimitException) ? closedFailure(e) : e;
                finish();
                throw failure;
            } catch (RuntimeException | Error e) {
                finish();
                throw e;
            }
        }

        @Override
        public ToolLoopEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the tool run has ended");
            }
            return pending.poll();
        }
    }

    private boolean advance() {
        while (pending.isEmpty()) {
            if (finalResponse != null) {
                finish();
                return false;
            }
            if (closed) {
                throw closedFailure(null);
            }
            if (due != null) {
                runTools();
                continue;
            }
            if (deltas == null) {
                startRound();
            }
            if (deltas.hasNext()) {
                ChatDelta d = deltas.next();
                if (d instanceof ChatDelta.Text) {
                    pending.add(new ToolLoopEvent.Text(((ChatDelta.Text) d).text()));
                } else if (d instanceof ChatDelta.Reasoning) {
                    pending.add(new ToolLoopEvent.Reasoning(((ChatDelta.Reasoning) d).text()));
                }
                continue;
            }
            endRound();
        }
        return true;
    }

    private void startRound() {
        if (round == loop.maxRounds) {
            throw new ToolLoopLimitException("the model still asked for tools after " + loop.maxRounds
                    + " rounds (maxRounds)", transcript());
        }
        round++;
        ChatStream s = loop.provider.stream(request.withMessages(transcript()));
        stream = s;
        if (closed) {
            s.close();
        }
        deltas = s.iterator();
    }

    private void endRound() {
        ChatStream s = stream;
        ChatResponse response = s.response();
        s.close();
        stream = null;
        deltas = null;
        synchronized (lock) {
            transcript.add(ChatMessage.of(response));
            usage = usage.plus(response.usage());
        }
        if (response.toolCalls().isEmpty()) {
            finalResponse = response;
            pending.add(new ToolLoopEvent.RoundFinished(round, response, true));
            return;
        }
        for (ToolCall call : response.toolCalls()) {
            String name = call.name();
            int forTool = callsPerTool.merge(name, 1, Integer::sum);
            calls++;
            if (forTool > loop.maxCallsPerTool) {
                throw new ToolLoopLimitException("the model called '" + name + "' more than " + loop.maxCallsPerTool
                        + " times (maxCallsPerTool)", transcript());
            }
            if (calls > loop.maxCalls) {
                throw new ToolLoopLimitException("the model made more than " + loop.maxCalls + " tool calls (maxCalls)",
                        transcript());
            }
            pending.add(new ToolLoopEvent.ToolCallRequested(round, call));
        }
        roundResponse = response;
        due = response.toolCalls();
    }

    /** What answering one call gave. */
    private static final class Outcome {
        final String result;
        final boolean error;
        final boolean executed;
        final Duration duration;
        final Throwable thrown;

        Outcome(String result, boolean error, boolean executed, Duration duration, Throwable thrown) {
            this.result = result;
            this.error = error;
            this.executed = executed;
            this.duration = duration;
            this.thrown = thrown;
        }

        static Outcome refused(String why) {
            return new Outcome(why, true, false, Duration.ZERO, null);
        }
    }

    private void runTools() {
        List<ToolCall> callsNow = due;
        List<Future<Outcome>> futures = new ArrayList<>(callsNow.size());
        Outcome[] outcomes = new Outcome[callsNow.size()];
        for (int i = 0; i < callsNow.size(); i++) {
            ToolCall call = callsNow.get(i);
            Tool<?> tool = loop.tools.get(call.name());
            if (tool == null) {
                outcomes[i] = builtin(call) ? new Outcome(call.arguments(), false, false, Duration.ZERO, null)
                        : Outcome.refused("error: there is no tool named \"" + call.name() + "\"; the tools are: "
                        + String.join(", ", loop.tools.keySet()) + ". The call was not run.");
            } else if (call.status() == ToolCall.Status.TRUNCATED) {
                outcomes[i] = Outcome.refused("error: the arguments of this call were cut off before their end (the"
                        + " answer hit its length limit or broke off); the tool was not run. Call it again with"
                        + " complete arguments.");
            } else if (call.status() == ToolCall.Status.INVALID_JSON) {
                outcomes[i] = Outcome.refused("error: the arguments of this call are not a JSON object; the tool was"
                        + " not run. Call it again with a JSON object that fits its parameters.");
            } else {
                try {
                    futures.add(executor().submit(() -> execute(tool, call)));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    throw closedFailure(e); // closed while this round's calls were being handed out
                }
                continue;
            }
            futures.add(null);
        }
        running = futures.stream().filter(f -> f != null).toList();
        if (closed) {
            running.forEach(f -> f.cancel(true));
        }
        for (int i = 0; i < callsNow.size(); i++) {
            if (outcomes[i] == null) {
                outcomes[i] = await(futures.get(i));
            }
        }
        running = List.of();
        for (int i = 0; i < callsNow.size(); i++) {
            ToolCall call = callsNow.get(i);
            Outcome o = outcomes[i];
            if (o.executed) {
                loop.provider.listener().onToolExecuted(new ToolExecution(call.name(), call.id(), o.duration, o.thrown));
            }
            synchronized (lock) {
                transcript.add(o.error ? ChatMessage.toolError(call, o.result) : ChatMessage.toolResult(call, o.result));
            }
            pending.add(new ToolLoopEvent.ToolFinished(round, call, o.result, o.error, o.executed, o.duration));
        }
        pending.add(new ToolLoopEvent.RoundFinished(round, roundResponse, false));
        due = null;
        roundResponse = null;
    }

    private boolean builtin(ToolCall call) {
        return request.tools().stream().anyMatch(d -> d.type() == ToolDefinition.Type.BUILTIN && d.name().equals(call.name()));
    }

    private Outcome execute(Tool<?> tool, ToolCall call) {
        long start = System.nanoTime();
        try {
            String result = tool.call(call.arguments());
            return new Outcome(result, false, true, Duration.ofNanos(System.nanoTime() - start), null);
        } catch (StructuredOutputException e) {
            StringBuilder why = new StringBuilder("error: the arguments do not fit the tool's parameters; the tool was"
                    + " not run:");
            for (SchemaViolation v : e.violations()) {
                why.append("\n- ").append(v);
            }
            return Outcome.refused(loop.scrubber.scrubAndBound(why.toString(), MAX_ERROR_CHARS));
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return new Outcome("error: the tool failed: " + loop.scrubber.scrubAndBound(message, MAX_ERROR_CHARS), true, true,
                    Duration.ofNanos(System.nanoTime() - start), e);
        }
    }

    private Outcome await(Future<Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw closedFailure(e);
        } catch (CancellationException e) {
            throw closedFailure(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new LlmException("a tool failed outside its function: " + cause, cause);
        }
    }

    private ExecutorService executor() {
        synchronized (lock) {
            if (executor == null) {
                executor = newExecutor(loop.platformThreads);
                if (closed) {
                    executor.shutdownNow();
                }
            }
            return executor;
        }
    }

    /** A virtual thread per tool on JDK 21 and later; a small pool of daemon platform threads before. */
    static ExecutorService newExecutor(int platformThreads) {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException jdk17) {
            return Executors.newFixedThreadPool(platformThreads, r -> {
                Thread t = new Thread(r, "alfred-tools-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    private void finish() {
        synchronized (lock) {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
        ChatStream s = stream;
        if (s != null) {
            s.close();
        }
    }

    private static LlmException closedFailure(Throwable cause) {
        return new LlmException("the tool run was closed", cause);
    }

    /** For tests: whether every tool thread of this run has ended, waiting up to a bound. */
    boolean executorTerminatedWithin(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        ExecutorService e;
        synchronized (lock) {
            e = executor;
        }
        return e == null || e.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "ToolRun{round " + round + ", " + calls + " calls" + (closed ? ", closed" : "") + "}";
    }
}
