package dev.alfred.llm.tools;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.Usage;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.observe.AgentRun;
import dev.alfred.llm.observe.ListenerContext;
import dev.alfred.llm.observe.RunListener;
import dev.alfred.llm.observe.RunOutcome;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.schema.RecordSchema;
import dev.alfred.llm.schema.RefusalException;
import dev.alfred.llm.schema.SchemaDialect;
import dev.alfred.llm.schema.SchemaViolation;
import dev.alfred.llm.schema.StructuredOutputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of a {@link ToolLoop}, read by pulling: iterate its {@link ToolLoopEvent}s (reading drives the
 * rounds on the reading thread), then take {@link #response()}, {@link #transcript()} and {@link #usage()}.
 * One reader at a time; {@link #close()} from any thread cancels the stream under way, interrupts the
 * tools running and the {@link Approver} waiting, and the reader gets an {@link LlmException}; threads that
 * ignore the interrupt are abandoned, never waited for. Always close it.
 *
 * <p>A run ends with the model's answer ({@link #response()}), or from the iterator with a
 * {@link ToolLoopLimitException} (a bound, the calls of the last answer not run), a
 * {@link RefusalException} (the model refused; no call of its answer runs) or the failure of a round.
 */
public final class ToolRun implements Iterable<ToolLoopEvent>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ToolLoop.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    static final boolean VIRTUAL_THREADS = virtualThreads();
    /** The most characters of a tool's error message the model is told, after scrubbing. */
    static final int MAX_ERROR_CHARS = 1000;
    /** The longest deadline kept as given (about 73 years); a longer one is this, so that no clock overflows. */
    static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 4);
    /** The most characters of edited arguments the model is shown. */
    static final int MAX_EDIT_CHARS = 1000;

    private final ToolLoop loop;
    /** The request with the loop's tools declared and the first round's tool choice. */
    private final ChatRequest first;
    /** The same without a tool choice, for every later round. */
    private final ChatRequest later;
    private final List<ChatMessage> transcript;
    private final ArrayDeque<ToolLoopEvent> pending = new ArrayDeque<>();
    private Map<String, Integer> callsPerTool = new HashMap<>();
    private final Events events = new Events();
    /** Guards the transcript, the usage, the executor and every call's state; tool threads notify it. */
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile ChatStream stream;
    private ExecutorService executor;
    private Iterator<ChatDelta> deltas;
    private List<ToolCall> due;
    private ChatResponse roundResponse;
    private ChatResponse finalResponse;
    private LlmException failure;
    /** How the run ends once the events before it are read (a refusal). */
    private LlmException ending;
    /** A JVM error a tool or the approver threw: rethrown on the reading thread. */
    private Error fatal;
    private Usage usage = Usage.ZERO;
    private int round;
    private int calls;
    /** The provider's listeners' view of this run: its context (a trace's run span) and its end, heard once. */
    private final RunListener run;
    private final AtomicBoolean runEnded = new AtomicBoolean();

    ToolRun(ToolLoop loop, ChatRequest request) {
        this.loop = loop;
        this.transcript = new ArrayList<>(request.messages());
        SchemaDialect dialect = loop.dialect != null ? loop.dialect : SchemaDialect.forProvider(loop.provider);
        List<Tool<?>> added = new ArrayList<>();
        List<RecordSchema<?>> schemas = new ArrayList<>();
        for (Tool<?> t : loop.tools.values()) {
            if (request.tools().stream().noneMatch(d -> d.name().equals(t.name()))) {
                added.add(t);
                schemas.add(t.arguments());
            }
        }
        List<Boolean> strict = RecordSchema.strictTogether(dialect, schemas);
        ChatRequest.Builder withTools = request.toBuilder();
        for (int i = 0; i < added.size(); i++) {
            withTools.tools(added.get(i).definition(dialect, strict.get(i)));
        }
        if (loop.toolChoice != null) {
            withTools.toolChoice(loop.toolChoice);
        }
        this.first = withTools.build();
        this.later = first.toolChoice() == null ? first : first.toBuilder().toolChoice(null).build();
        ProviderEndpoint endpoint = loop.provider.endpoint();
        RunListener r = loop.provider.listener().onRunStart(new AgentRun(null, loop.provider.id(),
                endpoint == null ? ProviderEndpoint.UNKNOWN : endpoint, first));
        this.run = r == null ? RunListener.NONE : r;
    }

    /**
     * The live iterator of this run's events; every call returns the same one.
     *
     * @return the iterator
     * @throws LlmException from {@code hasNext()} or {@code next()} when a round fails, a bound is reached
     *                      ({@link ToolLoopLimitException}), the model refused ({@link RefusalException}) or
     *                      the run was closed
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
     * Cancels the run: the stream under way is closed, running tools and a waiting approver are
     * interrupted, and the reader wakes up to an {@link LlmException}. Safe from any thread, and more than
     * once; it waits for nothing.
     */
    @Override
    public void close() {
        closed = true;
        endRun(new RunOutcome.Cancelled(usage()));
        ChatStream s = stream;
        if (s != null) {
            s.close();
        }
        synchronized (lock) {
            if (executor != null) {
                executor.shutdownNow();
            }
            lock.notifyAll();
        }
    }

    /** The events, driven by reading. */
    private final class Events implements Iterator<ToolLoopEvent> {
        /** Reads on with the run's context current, so the calls and tools of the run are its children. */
        @Override
        public boolean hasNext() {
            try (ListenerContext.Scope ignored = run.context().makeCurrent()) {
                return read();
            }
        }

        private boolean read() {
            if (failure != null) {
                throw failure;
            }
            try {
                boolean more = advance();
                if (!more) {
                    endRun(new RunOutcome.Completed(finalResponse, usage()));
                }
                return more;
            } catch (ToolLoopLimitException | RefusalException e) {
                failure = e;
                finish();
                endRun(new RunOutcome.Failed(e, usage()));
                throw e;
            } catch (LlmException e) {
                failure = closed && !(e instanceof Closed) ? closedFailure(e) : e;
                finish();
                endRun(closed ? new RunOutcome.Cancelled(usage()) : new RunOutcome.Failed(failure, usage()));
                throw failure;
            } catch (RuntimeException | Error e) {
                finish();
                endRun(new RunOutcome.Failed(e, usage()));
                throw e;
            }
        }

        @Override
        public ToolLoopEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the tool run has ended");
            }
            return pending.remove();
        }
    }

    private boolean advance() {
        while (pending.isEmpty()) {
            if (ending != null) {
                throw ending;
            }
            if (finalResponse != null) {
                finish();
                return false;
            }
            if (closed) {
                throw closedFailure(null);
            }
            if (due != null) {
                pending.addAll(runTools());
                continue;
            }
            if (deltas == null) {
                startRound();
            }
            if (deltas.hasNext()) {
                event(deltas.next());
                continue;
            }
            pending.addAll(endRound());
        }
        return true;
    }

    /** The event a streamed part makes, if any. */
    private void event(ChatDelta d) {
        if (d instanceof ChatDelta.Text) {
            pending.add(new ToolLoopEvent.Text(((ChatDelta.Text) d).text()));
        } else if (d instanceof ChatDelta.Reasoning) {
            pending.add(new ToolLoopEvent.Reasoning(((ChatDelta.Reasoning) d).text()));
        } else if (d instanceof ChatDelta.Refusal) {
            pending.add(new ToolLoopEvent.Refusal(((ChatDelta.Refusal) d).text()));
        } else if (d instanceof ChatDelta.ToolCallStart) {
            ChatDelta.ToolCallStart s = (ChatDelta.ToolCallStart) d;
            pending.add(new ToolLoopEvent.ToolCallStarted(round, s.index(), s.id(), s.name()));
        } else if (d instanceof ChatDelta.ToolCallArguments) {
            ChatDelta.ToolCallArguments a = (ChatDelta.ToolCallArguments) d;
            pending.add(new ToolLoopEvent.ToolCallArguments(round, a.index(), a.fragment()));
        }
    }

    private void startRound() {
        round++;
        ChatStream s = loop.provider.stream((round == 1 ? first : later).withMessages(transcript()));
        stream = s;
        if (closed) {
            s.close();
        }
        deltas = s.iterator();
    }

    /** Ends the round whose answer was read: the events it makes, or the bound it reaches. */
    private List<ToolLoopEvent> endRound() {
        ChatStream s = stream;
        ChatResponse response = s.response();
        s.close();
        stream = null;
        deltas = null;
        synchronized (lock) {
            transcript.add(ChatMessage.of(response));
            usage = usage.plus(response.usage());
        }
        if (response.isRefusal()) {
            ending = new RefusalException(response, transcript());
            return List.of(new ToolLoopEvent.RoundFinished(round, response, true));
        }
        List<ToolCall> asked = response.toolCalls();
        if (asked.isEmpty()) {
            finalResponse = response;
            return List.of(new ToolLoopEvent.RoundFinished(round, response, true));
        }
        if (round == loop.maxRounds) {
            throw new ToolLoopLimitException("the model still asked for tools after " + round + " rounds (maxRounds);"
                    + " the " + asked.size() + " calls of its last answer were not run", transcript(), asked);
        }
        Map<String, Integer> counts = new HashMap<>(callsPerTool);
        int total = calls;
        for (ToolCall call : asked) {
            String name = call.name();
            int forTool = counts.merge(name, 1, Integer::sum);
            total++;
            if (forTool > loop.maxCallsPerTool) {
                throw new ToolLoopLimitException("the model called '" + name + "' more than " + loop.maxCallsPerTool
                        + " times (maxCallsPerTool); the " + asked.size() + " calls of its last answer were not run",
                        transcript(), asked);
            }
            if (total > loop.maxCalls) {
                throw new ToolLoopLimitException("the model made more than " + loop.maxCalls + " tool calls (maxCalls);"
                        + " the " + asked.size() + " calls of its last answer were not run", transcript(), asked);
            }
        }
        callsPerTool = counts;
        calls = total;
        List<ToolLoopEvent> requested = new ArrayList<>(asked.size());
        for (ToolCall call : asked) {
            requested.add(new ToolLoopEvent.ToolCallRequested(round, call));
        }
        roundResponse = response;
        due = asked;
        return requested;
    }

    /** What answering one call gave. */
    private static final class Outcome {
        final String result;
        final boolean error;
        final boolean executed;
        final Duration duration;
        /** What the tool threw (or the timeout), for the listeners and the log; null when it did not fail. */
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

    /** One call of a round: what it runs, and where it stands. Fields but the first two are guarded by the lock. */
    private static final class Slot {
        final ToolCall call;
        final Tool<?> tool;
        String arguments;
        Approval approval;
        boolean ready;
        boolean started;
        long deadline;
        Duration timeout;
        Future<?> future;
        Outcome outcome;

        Slot(ToolCall call, Tool<?> tool) {
            this.call = call;
            this.tool = tool;
            this.arguments = call.arguments();
        }
    }

    /** Runs the calls of the round: the events of their ends, in the order of the calls. */
    private List<ToolLoopEvent> runTools() {
        List<ToolCall> asked = due;
        List<Slot> slots = new ArrayList<>(asked.size());
        List<Slot> runnable = new ArrayList<>();
        for (ToolCall call : asked) {
            Tool<?> tool = loop.tools.get(call.name());
            Slot s = new Slot(call, tool);
            slots.add(s);
            if (tool == null) {
                s.outcome = builtin(call) ? new Outcome(call.arguments(), false, false, Duration.ZERO, null)
                        : Outcome.refused("error: there is no tool named \"" + call.name() + "\"; the tools are: "
                        + String.join(", ", loop.tools.keySet()) + ". The call was not run.");
            } else if (call.status() == ToolCall.Status.TRUNCATED) {
                s.outcome = Outcome.refused("error: the arguments of this call were cut off before their end (the"
                        + " answer hit its length limit or broke off); the tool was not run. Call it again with"
                        + " complete arguments.");
            } else if (call.status() == ToolCall.Status.INVALID_JSON) {
                s.outcome = Outcome.refused("error: the arguments of this call are not a JSON object; the tool was"
                        + " not run. Call it again with a JSON object that fits its parameters.");
            } else {
                runnable.add(s);
            }
        }
        synchronized (lock) {
            if (loop.approver != null && !runnable.isEmpty()) {
                submit(() -> review(runnable));
            } else {
                runnable.forEach(s -> s.ready = true);
            }
            await(slots);
        }
        List<ToolLoopEvent> ended = new ArrayList<>();
        for (Slot s : slots) {
            answer(s, ended);
        }
        ended.add(new ToolLoopEvent.RoundFinished(round, roundResponse, false));
        due = null;
        roundResponse = null;
        return ended;
    }

    /** Waits, holding the lock, until every call has its outcome: starting approved calls, expiring deadlines. */
    private void await(List<Slot> slots) {
        int limit = VIRTUAL_THREADS ? Integer.MAX_VALUE : loop.platformThreads;
        while (true) {
            if (closed) {
                throw closedFailure(null);
            }
            if (fatal != null) {
                throw fatal;
            }
            long now = loop.clock.nanoTime();
            long next = Long.MAX_VALUE;
            int running = 0;
            boolean open = false;
            for (Slot s : slots) {
                if (s.outcome == null && s.started) {
                    if (now - s.deadline >= 0) {
                        s.outcome = timedOut(s);
                        s.future.cancel(true);
                    } else {
                        running++;
                        next = Math.min(next, s.deadline);
                    }
                }
            }
            for (Slot s : slots) {
                if (s.ready && running < limit) {
                    start(s, now);
                    running++;
                    next = Math.min(next, s.deadline);
                }
                open |= s.outcome == null;
            }
            if (!open) {
                return;
            }
            try {
                loop.clock.awaitUntil(lock, next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw closedFailure(e);
            }
        }
    }

    private void start(Slot s, long now) {
        s.ready = false;
        s.timeout = s.tool.timeout().orElse(loop.toolTimeout);
        s.started = true;
        s.deadline = now + (s.timeout.compareTo(LONGEST) > 0 ? LONGEST : s.timeout).toNanos();
        s.future = submit(() -> execute(s));
    }

    private Future<?> submit(Runnable task) {
        ListenerContext context = run.context();
        try {
            return executor().submit(() -> {
                try (ListenerContext.Scope ignored = context.makeCurrent()) {
                    task.run();
                }
            });
        } catch (RejectedExecutionException e) {
            throw closedFailure(e); // closed while this round's calls were being handed out
        }
    }

    /** Asks the approver about each call, in order, on a thread of the run. */
    private void review(List<Slot> slots) {
        for (Iterator<Slot> next = slots.iterator(); next.hasNext(); ) {
            Slot s = next.next();
            Approval a;
            try {
                a = loop.approver.review(s.call);
                if (a == null) {
                    throw new NullPointerException("the approver decided nothing (null) about " + s.call.id());
                }
            } catch (InterruptedException e) {
                synchronized (lock) {
                    decide(s, Approval.deny("the approval was interrupted"));
                    next.forEachRemaining(rest -> decide(rest, Approval.deny("the approval was interrupted")));
                }
                return;
            } catch (Throwable t) {
                if (isFatal(t)) {
                    fail((Error) t);
                    return;
                }
                String why = loop.scrubber.scrubAndBound(message(t), MAX_ERROR_CHARS);
                LOG.warn("the approver failed on a call of tool '{}', which was not run: {}", s.call.name(), why);
                a = Approval.deny("the approval failed");
            }
            synchronized (lock) {
                decide(s, a);
            }
        }
    }

    /** Records a decision; holds the lock. */
    private void decide(Slot s, Approval a) {
        s.approval = a;
        if (a instanceof Approval.Denied) {
            s.outcome = Outcome.refused("error: the call was not approved: " + loop.scrubber.scrubAndBound(
                    ((Approval.Denied) a).reason(), MAX_ERROR_CHARS) + ". The tool was not run.");
        } else {
            if (a instanceof Approval.Edited) {
                s.arguments = ((Approval.Edited) a).arguments();
            }
            s.ready = true;
        }
        lock.notifyAll();
    }

    private void fail(Error e) {
        synchronized (lock) {
            fatal = e;
            lock.notifyAll();
        }
    }

    /** Runs one call on a thread of the run, and posts its outcome unless its deadline passed first. */
    private void execute(Slot s) {
        long start = loop.clock.nanoTime();
        Outcome o;
        try {
            String result = s.tool.call(s.arguments);
            o = new Outcome(result, false, true, elapsed(start), null);
        } catch (StructuredOutputException e) {
            StringBuilder why = new StringBuilder("error: the arguments do not fit the tool's parameters; the tool was"
                    + " not run:");
            for (SchemaViolation v : e.violations()) {
                why.append("\n- ").append(v);
            }
            o = Outcome.refused(loop.scrubber.scrubAndBound(why.toString(), MAX_ERROR_CHARS));
        } catch (Throwable t) {
            if (isFatal(t)) {
                fail((Error) t);
                return;
            }
            o = new Outcome("error: the tool failed: " + loop.scrubber.scrubAndBound(message(t), MAX_ERROR_CHARS), true,
                    true, elapsed(start), t);
        }
        synchronized (lock) {
            if (s.outcome == null) {
                s.outcome = o;
            }
            lock.notifyAll();
        }
    }

    private Duration elapsed(long start) {
        return Duration.ofNanos(Math.max(0, loop.clock.nanoTime() - start));
    }

    private Outcome timedOut(Slot s) {
        String took = human(s.timeout);
        return new Outcome("error: the tool did not finish within " + took + " and was abandoned; its result is lost,"
                + " and whether it took effect is unknown.", true, true, s.timeout,
                new TimeoutException("tool '" + s.call.name() + "' did not finish within " + took));
    }

    /** Tells the model, the listeners, the log and the reader how one call went. */
    private void answer(Slot s, List<ToolLoopEvent> ended) {
        ToolCall call = s.call;
        Outcome o = s.outcome;
        String result = o.result;
        if (s.approval != null) {
            ended.add(new ToolLoopEvent.ToolCallReviewed(round, call, s.approval));
            if (s.approval instanceof Approval.Edited) {
                result = "note: before the call ran, its arguments were changed to "
                        + loop.scrubber.scrubAndBound(s.arguments, MAX_EDIT_CHARS) + "\n" + result;
            }
        }
        if (o.thrown != null) {
            log(call.name(), o.thrown);
        }
        if (o.executed) {
            loop.provider.listener().onToolExecuted(new ToolExecution(call.name(), call.id(), o.duration,
                    o.thrown == null ? null : scrubbed(o.thrown), s.arguments, o.thrown == null ? result : null));
        }
        synchronized (lock) {
            transcript.add(o.error ? ChatMessage.toolError(call, result) : ChatMessage.toolResult(call, result));
        }
        ended.add(new ToolLoopEvent.ToolFinished(round, call, result, o.error, o.executed, o.duration));
    }

    /** A tool's failure in the log: at WARN the first time for each tool of the loop, with its stack at DEBUG. */
    private void log(String tool, Throwable t) {
        if (loop.warned.add(tool)) {
            LOG.warn("tool '{}' failed: {}: {} (later failures of this tool are logged at DEBUG)", tool,
                    t.getClass().getName(), loop.scrubber.scrubAndBound(message(t), MAX_ERROR_CHARS));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("tool '" + tool + "' failed", scrubbed(t));
        }
    }

    /** A copy of what a tool threw with every message scrubbed, keeping its stack. */
    private Throwable scrubbed(Throwable t) {
        if (t instanceof LlmException) {
            String message = t.getMessage();
            String clean = loop.scrubber.scrub(message);
            if (clean == null || clean.equals(message)) {
                return t;
            }
            LlmException copy = new LlmException(clean, loop.scrubber.scrubbedCopy(t.getCause()));
            copy.setStackTrace(t.getStackTrace());
            return copy;
        }
        return loop.scrubber.scrubbedCopy(t);
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    @SuppressWarnings("removal")
    private static boolean isFatal(Throwable t) {
        return t instanceof VirtualMachineError || t instanceof ThreadDeath;
    }

    /** A duration as people write it: {@code 5 s}, {@code 250 ms}, {@code 2 min}. */
    static String human(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private boolean builtin(ToolCall call) {
        return first.tools().stream().anyMatch(d -> d.type() == ToolDefinition.Type.BUILTIN && d.name().equals(call.name()));
    }

    private ExecutorService executor() {
        synchronized (lock) {
            if (executor == null) {
                executor = newExecutor();
                if (closed) {
                    executor.shutdownNow();
                }
            }
            return executor;
        }
    }

    private static boolean virtualThreads() {
        try {
            Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return true;
        } catch (NoSuchMethodException jdk17) {
            return false;
        }
    }

    /**
     * A virtual thread per task on JDK 21 and later; before, a daemon platform thread per task, kept a
     * while for the next (a thread stuck in a tool past its deadline is abandoned, and the next task gets a
     * new one; how many calls run at once is bounded by the loop's platform threads).
     */
    static ExecutorService newExecutor() {
        if (VIRTUAL_THREADS) {
            try {
                return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("virtual threads are there but cannot be used", e);
            }
        }
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "alfred-tools-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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

    /** Tells the run's listeners how it ended, once. */
    private void endRun(RunOutcome outcome) {
        if (runEnded.compareAndSet(false, true)) {
            run.onEnd(outcome);
        }
    }

    private static LlmException closedFailure(Throwable cause) {
        return new Closed(cause);
    }

    /** The failure of a run that was closed: what the reader gets, whatever failed on the way. */
    private static final class Closed extends LlmException {
        private static final long serialVersionUID = 1L;

        Closed(Throwable cause) {
            super("the tool run was closed", cause);
        }
    }

    /** For tests: whether every thread of this run has ended, waiting up to a bound. */
    boolean executorTerminatedWithin(long timeout, TimeUnit unit) throws InterruptedException {
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
