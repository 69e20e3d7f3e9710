package dev.alfred.llm.tools;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.LlmProvider;

import dev.alfred.llm.spi.SecretScrubber;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a model's tool calls over any provider until it answers: each round streams the model's answer;
 * the tool calls it asks for run (several of one round in parallel), their results go back in the order
 * of the calls, and the next round begins. It lives outside the provider port, so every provider and
 * decorator works under it. Immutable and thread-safe; each {@link #start} is one {@link ToolRun}.
 *
 * <p>A call is never run when it is broken: an unknown tool, arguments that are not {@link
 * dev.alfred.llm.ToolCall.Status#COMPLETE} (cut off, not JSON) or that do not fit the tool's record get an
 * error result telling the model why, so it can correct itself. A tool that throws gives an error result
 * with its message, scrubbed of secrets. Builtin calls (a {@code BUILTIN} definition in the request, such
 * as Kimi's {@code $web_search}) are echoed back, as such APIs require. Each round replays the whole
 * transcript: reasoning, tool calls with their ids, provider state, tool results.
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

    final LlmProvider provider;
    final Map<String, Tool<?>> tools;
    final int maxRounds;
    final int maxCallsPerTool;
    final int maxCalls;
    final int platformThreads;
    /** Masks the secrets the caller named (and key-shaped text) in what a tool's failure tells the model. */
    final SecretScrubber scrubber;

    private ToolLoop(Builder b) {
        this.provider = b.provider;
        this.tools = Map.copyOf(b.tools);
        this.maxRounds = b.maxRounds;
        this.maxCallsPerTool = b.maxCallsPerTool;
        this.maxCalls = b.maxCalls;
        this.platformThreads = b.platformThreads;
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
     * @throws IllegalArgumentException naming the component when a tool's arguments cannot be expressed in the
     *                                  provider's schema dialect (a {@code Map} for OpenAI's strict mode)
     * @throws NullPointerException     if request is null
     */
    public ToolRun start(ChatRequest request) {
        return new ToolRun(this, Objects.requireNonNull(request, "request"));
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
         * Sets the bound on rounds (model calls). Default 8.
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
         * Sets how many platform threads run one round's tools on a JDK without virtual threads (17 to 20).
         * On JDK 21 and later every tool runs on a virtual thread of its own. Default 4.
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
         * Adds a secret (an API key a tool uses, say) that must never reach the model through a tool's error
         * message: any run of 8 of its characters is masked there. Keys shaped like {@code sk-…} are masked
         * without being named.
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
