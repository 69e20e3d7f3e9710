package dev.alfred.llm.tools;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.schema.SchemaDialect;
import dev.alfred.llm.spi.SecretScrubber;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a model's tool calls over any provider until it answers: each round streams the model's answer;
 * the tool calls it asks for run (several of one round in parallel), their results go back in the order
 * of the calls, and the next round begins. It lives outside the provider port, so every provider and
 * decorator works under it. Immutable and thread-safe; each {@link #start} is one {@link ToolRun}.
 *
 * <p>A call is never run when it is broken: an unknown tool, arguments that are not {@link
 * dev.alfred.llm.ToolCall.Status#COMPLETE} (cut off, not JSON) or that do not fit the tool's record get an
 * error result telling the model why, so it can correct itself. Nor when it could do nothing useful: the
 * bounds are checked when an answer ends, before its calls run, so the last round a bound allows runs no
 * tool whose result no round could read; and a refusal ends the run before any call of its answer runs.
 * An {@link Approver} may approve, deny or edit each call first. Each call runs within its deadline
 * ({@link Builder#toolTimeout}, or the tool's own): past it, the tool is interrupted and abandoned (its
 * thread is never waited for) and the model is told it did not finish. Anything a tool throws (checked
 * exceptions too; not the JVM's own errors) gives an error result with its message, and the model, the
 * listeners ({@code onToolExecuted}, so the span too) and the log (a warning once per tool, the stack at
 * debug) see it with secrets masked. Builtin calls (a {@code BUILTIN} definition in the request, such as
 * Kimi's {@code $web_search}) are echoed back, as such APIs require. Each round replays the whole
 * transcript: reasoning, tool calls with their ids, provider state, tool results.
 *
 * <p>Tools are declared in the provider's {@link SchemaDialect} (or {@link Builder#schemaDialect}),
 * strict where the server holds the model to a schema and the tool's record fits it. A
 * {@link Builder#toolChoice tool choice} ({@code REQUIRED}, a named tool, or the request's own) goes with
 * the first round only: later rounds leave the choice to the model, which could otherwise never answer.
 *
 * <pre>{@code
 * ToolLoop loop = ToolLoop.builder(llm).tool(weather).build();
 * try (ToolRun run = loop.start(ChatRequest.of("Weather in Paris?"))) {
 *     for (ToolLoopEvent e : run) {
 *         if (e instanceof ToolLoopEvent.Text t) System.out.print(t.text());
 *     }
 *     System.out.println(run.usage());
 * }
 * }</pre>
 */
public final class ToolLoop {

    /** Default bound on rounds (model calls) in one run. */
    public static final int DEFAULT_MAX_ROUNDS = 8;
    /** Default bound on the calls of one tool in one run. */
    public static final int DEFAULT_MAX_CALLS_PER_TOOL = 40;
    /** Default bound on all calls in one run. */
    public static final int DEFAULT_MAX_CALLS = 150;
    /** Default deadline of one tool call. */
    public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(60);

    final LlmProvider provider;
    /** The tools, in the order they were added (the order they are declared in). */
    final Map<String, Tool<?>> tools;
    final int maxRounds;
    final int maxCallsPerTool;
    final int maxCalls;
    final int platformThreads;
    final Duration toolTimeout;
    final ToolChoice toolChoice;
    final Approver approver;
    final SchemaDialect dialect;
    final ToolClock clock;
    /** Masks the secrets the caller named (and key-shaped text) in whatever a tool's failure says. */
    final SecretScrubber scrubber;
    /** The tools whose failure was logged at WARN already: later ones go at DEBUG only. */
    final Set<String> warned = ConcurrentHashMap.newKeySet();

    private ToolLoop(Builder b) {
        this.provider = b.provider;
        this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(b.tools));
        this.maxRounds = b.maxRounds;
        this.maxCallsPerTool = b.maxCallsPerTool;
        this.maxCalls = b.maxCalls;
        this.platformThreads = b.platformThreads;
        this.toolTimeout = b.toolTimeout;
        this.toolChoice = b.toolChoice;
        this.approver = b.approver;
        this.dialect = b.dialect;
        this.clock = b.clock;
        this.scrubber = SecretScrubber.of(b.secrets);
    }

    /**
     * A builder over a provider.
     *
     * @param provider the provider the rounds go to
     * @return the builder, with the default bounds and no tools
     * @throws NullPointerException if provider is null
     */
    public static Builder builder(LlmProvider provider) {
        return new Builder(Objects.requireNonNull(provider, "provider"));
    }

    /**
     * Starts a run: nothing is sent until the run is first read.
     *
     * @param request the request; its tools, settings and messages are kept, the loop's tools added
     * @return the run, which the caller must close
     * @throws IllegalArgumentException when the tool choice names a tool neither the loop nor the request
     *                                  declares
     * @throws NullPointerException     if request is null
     */
    public ToolRun start(ChatRequest request) {
        return new ToolRun(this, Objects.requireNonNull(request, "request"));
    }

    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "ToolLoop{" + provider.id() + ", tools=" + tools.keySet() + ", rounds≤" + maxRounds + "}";
    }

    /** Settings of a {@link ToolLoop}. Not thread-safe. */
    public static final class Builder {
        private final LlmProvider provider;
        private final Map<String, Tool<?>> tools = new LinkedHashMap<>();
        private final List<String> secrets = new ArrayList<>();
        private int maxRounds = DEFAULT_MAX_ROUNDS;
        private int maxCallsPerTool = DEFAULT_MAX_CALLS_PER_TOOL;
        private int maxCalls = DEFAULT_MAX_CALLS;
        private int platformThreads = 4;
        private Duration toolTimeout = DEFAULT_TOOL_TIMEOUT;
        private ToolChoice toolChoice;
        private Approver approver;
        private SchemaDialect dialect;
        private ToolClock clock = ToolClock.SYSTEM;

        private Builder(LlmProvider provider) {
            this.provider = provider;
        }

        /**
         * Adds a tool.
         *
         * @param tool the tool
         * @return this builder
         * @throws IllegalArgumentException if a tool of that name was added already
         * @throws NullPointerException     if tool is null
         */
        public Builder tool(Tool<?> tool) {
            Objects.requireNonNull(tool, "tool");
            if (tools.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalArgumentException("two tools are named '" + tool.name() + "'");
            }
            return this;
        }

        /**
         * Sets the bound on rounds (model calls). Default 8. An answer of the last round that still asks for
         * tools ends the run with a {@link ToolLoopLimitException}, its calls not run.
         *
         * @param rounds at least 1
         * @return this builder
         * @throws IllegalArgumentException if rounds is below 1
         */
        public Builder maxRounds(int rounds) {
            this.maxRounds = positive("maxRounds", rounds);
            return this;
        }

        /**
         * Sets the bound on the calls of one tool in a run, broken and unknown calls included. Default 40.
         *
         * @param calls at least 1
         * @return this builder
         * @throws IllegalArgumentException if calls is below 1
         */
        public Builder maxCallsPerTool(int calls) {
            this.maxCallsPerTool = positive("maxCallsPerTool", calls);
            return this;
        }

        /**
         * Sets the bound on all calls in a run, broken and unknown calls included. Default 150.
         *
         * @param calls at least 1
         * @return this builder
         * @throws IllegalArgumentException if calls is below 1
         */
        public Builder maxCalls(int calls) {
            this.maxCalls = positive("maxCalls", calls);
            return this;
        }

        /**
         * Sets how many calls of a round run at once on a JDK without virtual threads (17 to 20), each on a
         * daemon thread of the run. On JDK 21 and later every call runs on a virtual thread of its own, all
         * at once. Default 4.
         *
         * @param threads at least 1
         * @return this builder
         * @throws IllegalArgumentException if threads is below 1
         */
        public Builder platformThreads(int threads) {
            this.platformThreads = positive("platformThreads", threads);
            return this;
        }

        /**
         * Sets the deadline of one tool call, for tools without their own ({@link Tool#withTimeout}).
         * Default 60 seconds. A call past it is interrupted and abandoned: the run goes on without waiting
         * for its thread, even when the tool ignores the interrupt, and the model is told it did not finish
         * (and that it may or may not have taken effect).
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if timeout is not positive
         * @throws NullPointerException     if timeout is null
         */
        public Builder toolTimeout(Duration timeout) {
            this.toolTimeout = ToolLoop.positive("toolTimeout", timeout);
            return this;
        }

        /**
         * Sets the tool choice of the first round, such as {@link ToolChoice#REQUIRED} or
         * {@code ToolChoice.tool("get_weather")} (a tool of the loop's or the request's); it replaces the
         * request's. Later rounds are sent without a tool choice, so the model decides and can answer.
         *
         * @param choice the choice, or null for the request's own
         * @return this builder
         */
        public Builder toolChoice(ToolChoice choice) {
            this.toolChoice = choice;
            return this;
        }

        /**
         * Sets who approves each call before it runs (a person through a UI, a policy); by default every
         * call fit to run runs.
         *
         * @param approver the approver, or null for none
         * @return this builder
         */
        public Builder approver(Approver approver) {
            this.approver = approver;
            return this;
        }

        /**
         * Sets the schema dialect the tools are declared in, where the provider's id does not tell the
         * server: an OpenAI-compatible server without strict mode takes {@link SchemaDialect#STANDARD}. By
         * default {@link SchemaDialect#forProvider} of the provider's id.
         *
         * @param dialect the dialect, or null for the provider's
         * @return this builder
         */
        public Builder schemaDialect(SchemaDialect dialect) {
            this.dialect = dialect;
            return this;
        }

        /** For tests: the time the deadlines run on. */
        Builder clock(ToolClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Adds a secret (an API key a tool uses, say) that must never leave through a tool's failure: any
         * run of 8 of its characters is masked in what the model, the listeners and the log are told. Keys
         * shaped like {@code sk-…} are masked without being named.
         *
         * @param secret the secret
         * @return this builder
         * @throws NullPointerException if secret is null
         */
        public Builder secret(String secret) {
            secrets.add(Objects.requireNonNull(secret, "secret"));
            return this;
        }

        /**
         * Builds the loop.
         *
         * @return the loop
         */
        public ToolLoop build() {
            return new ToolLoop(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
