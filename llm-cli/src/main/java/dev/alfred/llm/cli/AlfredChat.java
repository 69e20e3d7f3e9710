package dev.alfred.llm.cli;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.ProviderNotFoundException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.RequestSettings;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.UserMessage;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.config.ProviderRegistry;
import dev.alfred.llm.schema.SchemaDialect;
import dev.alfred.llm.tools.ToolLoop;
import dev.alfred.llm.tools.ToolLoopEvent;
import dev.alfred.llm.tools.ToolRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * {@code alfred-chat}: a chat with a large language model from the command line, streamed, through the
 * provider SPI exactly as the bot uses it. With no API key it answers offline from an embedded fake
 * server, so the whole real path runs with no network.
 */
@Command(name = "alfred-chat", mixinStandardHelpOptions = true, versionProvider = AlfredChat.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Chat with a large language model through alfred-llm: one turn with a PROMPT, a conversation"
                + " on a terminal without one, or the prompt read from standard input on a pipe. Text piped in with a"
                + " PROMPT comes first, then the PROMPT (as Simon Willison's llm does): cat notes.txt | alfred-chat"
                + " \"Summarise:\".",
            "Beside chat: --embed turns texts into vectors, --count-tokens counts the prompt's tokens as it would be"
                + " sent, --list-models lists the provider's models.",
            "With no KIMI_API_KEY, base URL or provider given (or with --offline) it answers from a scripted demo"
                + " server on loopback (embeddings there through the openai provider: Kimi has none)."},
        footer = {"", "--base-url examples:  https://api.openai.com/v1  http://localhost:11434/v1  https://api.moonshot.ai/v1"
                + "  https://api.anthropic.com/v1",
            "", "Environment: LLM_PROVIDER; KIMI_API_KEY (or MOONSHOT_API_KEY), KIMI_BASE_URL, KIMI_MODEL;"
                + " OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_DIALECT; ANTHROPIC_API_KEY, ANTHROPIC_MODEL,"
                + " ANTHROPIC_BASE_URL (the host root, without /v1, as Anthropic's SDKs take it).",
            "Timeouts, per provider: KIMI_HEADERS_TIMEOUT (60s, to the response's head), KIMI_IDLE_TIMEOUT (120s"
                + " between two pieces of a stream), KIMI_TOTAL_TIMEOUT (15m, a whole exchange; --timeout sets it for"
                + " one run), KIMI_CONNECT_TIMEOUT (10s); the same with OPENAI_ and ANTHROPIC_. Plain http to"
                + " another machine: KIMI_ALLOW_INSECURE_HTTP=true and the like (or --allow-insecure-http).",
            "Embeddings (--embed, openai provider): OPENAI_EMBEDDINGS_MODEL (text-embedding-3-small),"
                + " OPENAI_EMBEDDINGS_CONCURRENCY (4); Voyage AI with OPENAI_DIALECT=voyage and"
                + " OPENAI_BASE_URL=https://api.voyageai.com/v1. Kimi's and Anthropic's APIs have none.",
            "Retries: RETRY_ENABLED, RETRY_MAX_ATTEMPTS (3), RETRY_MAX_RETRY_AFTER (60s: a longer Retry-After is not"
                + " waited for), … Output: NO_COLOR turns off the faint type of reasoning and warnings.",
            "", ExitCode.TEXT})
public final class AlfredChat implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PROMPT", description = "What to ask; the words are joined with spaces.")
    private List<String> prompt = new ArrayList<>();

    @Option(names = "--provider", paramLabel = "ID", description = "Provider id: openai, kimi or anthropic (default: LLM_PROVIDER, else kimi).")
    private String provider;

    @Option(names = "--model", paramLabel = "NAME", description = "The model (sets <provider>.model, so a server"
            + " with no default model, such as Ollama's or vLLM's, needs nothing else).")
    private String model;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message framing the conversation.")
    private String system;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens to generate, reasoning included.")
    private Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (some models accept only"
            + " their default: a warning then says it was not sent).")
    private Double temperature;

    @Option(names = "--base-url", paramLabel = "URL", description = "The API's root with its version path, as the"
            + " server documents it, for every provider (examples below); sets <provider>.base.url. A server on this"
            + " machine needs no key.")
    private String baseUrl;

    @Option(names = "--allow-insecure-http", description = "Accept a plain http --base-url on another machine (a server"
            + " on your network), which then needs no key either (sets <provider>.allow.insecure.http).")
    private boolean allowInsecureHttp;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The most a request may take, head and body, such as 30s, 2m or 500ms; no retry starts"
                    + " after it either (unless RETRY_DEADLINE says otherwise). Default: the provider's total timeout"
                    + " (15m).")
    private Duration timeout;

    @Option(names = "--image", paramLabel = "FILE", description = "Attach an image (PNG, JPEG, GIF or WebP, told by its"
            + " bytes) to the prompt; repeatable.")
    private List<Path> images = new ArrayList<>();

    /** Kimi's whole request must stay under 100 MB; one image is held to 20 MB. */
    private static final long MAX_IMAGE_BYTES = 20L << 20;
    private final List<ContentPart> imageParts = new ArrayList<>();
    /** Whether this turn's answer has printed something on the current line. */
    private boolean lineOpen;

    @Option(names = "--no-stream", description = "One blocking call instead of a stream.")
    private boolean noStream;

    @Option(names = "--json", description = "Print one JSON object: the answer (content, reasoning, refusal, usage,"
            + " finish reason, warnings, timings) or the error.")
    private boolean json;

    @Option(names = "--show-reasoning", description = "Print the model's reasoning on stderr, set apart from the answer.")
    private boolean showReasoning;

    @Option(names = "--list-providers", description = "List the providers and decorators discovery found, and where from.")
    private boolean listProviders;

    @Option(names = "--embed", description = "Embed texts instead of chatting: each PROMPT argument is one text, and"
            + " each line piped in (first) one more. Prints one line per text: its index, dimensions and first floats;"
            + " with --json the whole vectors, model and usage. Needs a provider with embeddings (openai; kimi and"
            + " anthropic have none); the offline demo embeds with the openai provider.")
    private boolean embed;

    @Option(names = "--dimensions", paramLabel = "N", description = "With --embed: the vector length to ask for (for"
            + " models that can shorten their vectors, such as text-embedding-3-*).")
    private Integer dimensions;

    @Option(names = "--count-tokens", description = "Print how many input tokens the prompt takes as it would be sent"
            + " (system, image, tools as the other options make the request), counted the provider's way: its server's"
            + " count, the model's tokenizer, or an estimate, said which. Nothing is sent to the chat endpoint.")
    private boolean countTokens;

    @Option(names = "--list-models", description = "List the provider's models: context window, most output tokens,"
            + " features, and where the figures come from (the server, the provider's dated table, or configuration).")
    private boolean listModels;

    @Option(names = "--offline", description = "Answer from the scripted demo server even when a key is set.")
    private boolean offline;

    @Option(names = "--debug", description = "Log the library's debug lines (retries, and every request and response"
            + " on the wire, keys masked), show tool calls and their results, and print stack traces.")
    private boolean debug;

    @Option(names = "--tools", description = "Let the model call alfred-chat's demo tools (a clock), run in a tool loop;"
            + " on in the offline demo.")
    private boolean tools;

    private static final String COMMANDS = "commands: /help this list · /reset forget the conversation · /exit quit"
            + " (or Ctrl-D) · Ctrl-C stops an answer, clears a line typed, or quits at an empty prompt"
            + " · arrows edit and recall earlier lines";
    /** How a provider's warning about fields it kept but does not model begins: shown with --debug only. */
    private static final String KEPT = "kept what ";
    /** How long Ctrl-C waits for a one-shot turn to report its end before the process exits anyway. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final boolean terminal;
    private final BooleanSupplier stdinPiped;
    private final LineEditor.Opener terminals;
    /** How the process ends at once on Ctrl-C outside a turn: System.exit in main. */
    private volatile IntConsumer exit = code -> { };
    /**
     * Guards the start and end of a turn against Ctrl-C, so that an interrupt meant for one turn is
     * sent before that turn clears its thread's flag, never after (where it would fail the next turn).
     */
    private final Object turnLock = new Object();
    /** The thread running a turn, while one runs: Ctrl-C stops that turn. */
    private volatile Thread turnThread;
    /** What Ctrl-C closes during a turn: the stream, or the tool run. */
    private volatile AutoCloseable current;
    private final java.time.Clock clock = java.time.Clock.systemUTC();
    private volatile boolean turnCancelled;
    private volatile boolean conversation;
    /** The demo's pace: the pause between two streamed pieces, and its scripted 429's Retry-After. */
    private Duration demoPause = Duration.ofMillis(25);
    private Duration demoRetryAfter = Duration.ofMillis(300);
    /** Set once the provider is made: what retries and how long a Retry-After it waits for. */
    private boolean retries;
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private Style style;

    /**
     * alfred-chat on given streams, for tests and embedding: standard input counts as a pipe unless
     * {@code terminal}, and a conversation reads it through a terminal over the streams.
     */
    AlfredChat(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment, boolean terminal) {
        this(in, out, err, environment, terminal, () -> !terminal, () -> LineEditor.on(in, err));
    }

    /**
     * alfred-chat.
     *
     * @param in          standard input
     * @param out         standard output: the answers
     * @param err         standard error: everything else
     * @param environment the environment variables
     * @param terminal    whether standard input and output are a terminal: a conversation without a prompt,
     *                    a spinner and faint type
     * @param stdinPiped  whether standard input is not a terminal, asked only when a prompt is given
     * @param terminals   opens the terminal a conversation reads from
     */
    AlfredChat(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment, boolean terminal,
               BooleanSupplier stdinPiped, LineEditor.Opener terminals) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.terminal = terminal;
        this.stdinPiped = stdinPiped;
        this.terminals = terminals;
        this.style = Style.of(terminal, environment);
    }

    /**
     * Runs alfred-chat and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        boolean debug = List.of(args).contains("--debug");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "error");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        boolean terminal = isTerminal();
        AlfredChat app = new AlfredChat(System.in, out, err, System.getenv(), terminal,
                () -> !terminal && !LineEditor.stdinIsTerminal(), LineEditor::system);
        app.exit = System::exit;
        onCtrlC(() -> app.onCtrlC(System::exit));
        System.exit(app.execute(args));
    }

    /**
     * Handles SIGINT in place of the JVM's default (exit through shutdown hooks), so that Ctrl-C can stop
     * one answer and keep the conversation. sun.misc.Signal is in jdk.unsupported, on every JDK since 9;
     * where it is refused, Ctrl-C falls back to a shutdown hook that still aborts the exchange. In a
     * conversation, JLine's terminal takes SIGINT over and passes it on the same way.
     */
    private static void onCtrlC(Runnable handler) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> handler.run());
        } catch (IllegalArgumentException | UnsupportedOperationException refused) {
            Runtime.getRuntime().addShutdownHook(new Thread(handler::run, "alfred-chat-cancel"));
        }
    }

    int execute(String[] args) {
        CommandLine cl = new CommandLine(this);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) -> {
            if (jsonAsked(a)) {
                out.println(JsonReport.error("usage", oneLine(e.getMessage()), null, 0, "", ""));
                out.flush();
            }
            err.println("alfred-chat: " + e.getMessage());
            err.println(e.getCommandLine().getHelp().synopsis(0).strip());
            err.println("Try 'alfred-chat --help' for more.");
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> fail(ExitCode.OTHER, e.getMessage() == null ? e.toString()
                : e.getMessage(), e instanceof Exception ? (Exception) e : null));
        return cl.execute(args);
    }

    /** Whether the arguments ask for JSON, read before they could be parsed. */
    private static boolean jsonAsked(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    /**
     * What Ctrl-C does. During an answer it stops that answer (its exchange is aborted); in a
     * conversation the prompt comes back, otherwise the process should exit. At the prompt, or before
     * any turn, the process should exit. Safe from any thread.
     *
     * @return true when the process should exit now with 130
     */
    boolean interrupt() {
        synchronized (turnLock) {
            Thread t = turnThread;
            if (t == null) {
                return true;
            }
            turnCancelled = true;
            t.interrupt(); // wakes a blocking --no-stream call, or a wait before a retry
            AutoCloseable c = current;
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    err.println("alfred-chat: could not stop the answer: " + e);
                }
            }
            return !conversation;
        }
    }

    /**
     * SIGINT, as the process gets it. In a conversation it stops the answer under way. Outside a turn
     * the process exits with 130 at once. During a one-shot turn (streamed or {@code --no-stream}) the
     * turn is stopped and left to say so (or to print its JSON) and to return 130; the process exits from
     * here only if the turn has not ended within a few seconds.
     *
     * @param exit how the process ends
     */
    void onCtrlC(IntConsumer exit) {
        Thread running;
        synchronized (turnLock) {
            running = turnThread;
        }
        if (!interrupt()) {
            return;
        }
        if (running != null && awaitTurnEnd(running)) {
            return;
        }
        if (running == null) {
            if (json) {
                out.println(JsonReport.error("cancelled", "cancelled", null, 0, "", ""));
                out.flush();
            } else {
                err.println();
            }
        }
        exit.accept(ExitCode.INTERRUPTED);
    }

    /** Waits until the given turn has ended; false if it has not within the grace. */
    private boolean awaitTurnEnd(Thread running) {
        long deadline = System.nanoTime() + CANCEL_GRACE.toNanos();
        synchronized (turnLock) {
            while (turnThread == running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    turnLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Sets the offline demo's pace, for tests: the pause between streamed pieces and the Retry-After of
     * its scripted 429.
     */
    AlfredChat demoPace(Duration pause, Duration retryAfter) {
        this.demoPause = pause;
        this.demoRetryAfter = retryAfter;
        return this;
    }

    @Override
    public Integer call() {
        String invalid = invalidOption();
        if (invalid != null) {
            return fail(ExitCode.USAGE, invalid, null);
        }
        if (listProviders) {
            return listProviders();
        }
        String unreadable = loadImages();
        if (unreadable != null) {
            return fail(ExitCode.USAGE, unreadable, null);
        }
        List<String> texts = List.of();
        if (embed) { // read before any demo starts: a usage error says nothing of a demo
            try {
                texts = embedTexts();
            } catch (IllegalArgumentException e) {
                return fail(ExitCode.USAGE, e.getMessage(), null);
            } catch (IOException e) {
                return fail(ExitCode.OTHER, "cannot read the texts: " + e.getMessage(), e);
            }
        }
        ProviderConfig config = ProviderConfig.from(environment, System.getProperties());
        boolean providerGiven = provider != null || config.get(LlmProviders.PROVIDER_KEY).isPresent();
        String id = provider != null ? provider : config.get(LlmProviders.PROVIDER_KEY).orElse("kimi");
        if (offline && !id.equals("kimi")) {
            return fail(ExitCode.USAGE, "--offline answers as the kimi provider; it cannot be used with provider '" + id + "'", null);
        }
        boolean keySet = config.getFirst("kimi.api.key", "moonshot.api.key").isPresent();
        boolean baseUrlGiven = baseUrl != null || config.get("kimi.base.url").isPresent();
        // The demo stands in only when nothing names a real target; a key missing for a named one is an error.
        boolean demoMode = offline || (id.equals("kimi") && !keySet && !baseUrlGiven && !providerGiven);
        OfflineDemo demo = null;
        AutoCloseable telemetry = null;
        try {
            config = config.withOverrides(options(id, config.get("retry.deadline").isPresent()));
            telemetry = Telemetry.startIfRequested(telemetrySettings());
            if (demoMode) {
                // A 429 is scripted only where the retry decorator will absorb it.
                boolean demoRetries = config.getBoolean("retry.enabled").orElse(true)
                        && config.getInt("retry.max-attempts").orElse(3) > 1
                        && LlmProviders.registry().decorators().stream().anyMatch(d -> d.id().equals("retry"));
                demo = new OfflineDemo(demoRetries, demoPause, demoRetryAfter);
                config = demo.configure(config);
                err.println("alfred-chat: " + (offline ? "--offline" + (keySet ? " (KIMI_API_KEY is set and not used)" : "")
                        : "no KIMI_API_KEY set") + (embed ? ": embedding with the openai provider (kimi has no"
                        + " embeddings) and a fake key, against a scripted demo server at " + demo.describe()
                        + " (a bag-of-words hashing embedding, not a model's)"
                        : ": answering from a scripted demo server at " + demo.describe()));
            }
            if (embed) {
                return embed(demo != null ? "openai" : id, demo != null ? demo.configureEmbeddings(config) : config, texts);
            }
            maxRetryAfter = config.getDuration("retry.max-retry-after").orElse(maxRetryAfter);
            LlmProvider llm;
            try {
                llm = LlmProviders.create(id, config);
            } catch (IllegalArgumentException e) {
                return fail(ExitCode.USAGE, UserTerms.reword(e.getMessage(), id, baseUrl), e);
            }
            try (llm) {
                retries = llm.retries();
                if (countTokens) {
                    return countTokens(llm, demo);
                }
                if (listModels) {
                    return listModels(llm);
                }
                return converse(llm, demo);
            }
        } catch (IllegalArgumentException e) {
            return fail(ExitCode.USAGE, UserTerms.reword(e.getMessage(), id, baseUrl), e);
        } catch (UnsupportedFeatureException e) { // a provider refusing what it is made for (Voyage AI's chat)
            return fail(ExitCode.USAGE, e.getMessage(), e);
        } catch (LlmException e) {
            return fail(ExitCode.of(e), e.getMessage(), e);
        } catch (IOException e) {
            return fail(ExitCode.OTHER, "cannot read the prompt: " + e.getMessage(), e);
        } finally {
            if (demo != null) {
                demo.close();
            }
            if (telemetry != null) {
                closeTelemetry(telemetry);
            }
        }
    }

    /**
     * The settings the options stand for, for the provider with this id: {@code --base-url},
     * {@code --model} (a dialect without a default model needs it on the provider, not only on the
     * request), {@code --allow-insecure-http}, and {@code --timeout} as the retries' deadline too (unless
     * {@code RETRY_DEADLINE} is set): a hung server then costs one timeout, not one per attempt.
     *
     * @throws IllegalArgumentException when {@code --base-url} does not fit the provider
     */
    private ProviderConfig options(String id, boolean retryDeadlineSet) {
        ProviderConfig.Builder options = ProviderConfig.builder();
        if (baseUrl != null) {
            options.set(id + ".base.url", providerBaseUrl(id));
        }
        if (model != null) {
            options.set(id + ".model", model);
        }
        if (allowInsecureHttp) {
            options.set(id + ".allow.insecure.http", "true");
        }
        if (timeout != null && !retryDeadlineSet) {
            options.set("retry.deadline", timeout.toMillis() + "ms");
        }
        return options.build();
    }

    /**
     * The base URL to give the provider for {@code --base-url}, which names the API's root with its
     * version path for every provider. The anthropic provider appends {@code v1/messages} to its base
     * URL itself, so there the {@code /v1} is taken off.
     *
     * @throws IllegalArgumentException when an anthropic URL does not end in {@code /v1}
     */
    private String providerBaseUrl(String id) {
        if (!id.equals("anthropic")) {
            return baseUrl;
        }
        String u = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (!u.endsWith("/v1")) {
            throw new IllegalArgumentException("--base-url is the API's root with its version path for every provider,"
                    + " such as https://api.anthropic.com/v1; for anthropic it must end in /v1, was " + baseUrl
                    );
        }
        return u.substring(0, u.length() - "/v1".length());
    }

    /** The environment, and the {@code otel.*} system properties, which OpenTelemetry reads too. */
    private Map<String, String> telemetrySettings() {
        Map<String, String> settings = new java.util.HashMap<>(environment);
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("otel.")) {
                settings.put(name, System.getProperty(name));
            }
        }
        return settings;
    }

    /** Flushes the last spans and metrics; a failure to do so is reported and does not change the exit code. */
    private void closeTelemetry(AutoCloseable telemetry) {
        try {
            telemetry.close();
        } catch (Exception e) {
            err.println("alfred-chat: OpenTelemetry did not shut down cleanly: " + e.getMessage());
        }
    }

    /** Reads the {@code --image} files; returns what is wrong with one, or null. */
    private String loadImages() {
        for (Path file : images) {
            try {
                imageParts.add(ImageFile.read(file, MAX_IMAGE_BYTES));
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    /** The options' own rules, checked before anything is printed or started; named as typed. */
    private String invalidOption() {
        if (maxTokens != null && maxTokens <= 0) {
            return "--max-tokens must be positive, was " + maxTokens;
        }
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            return "--temperature must be between 0 and 2, was " + temperature;
        }
        if (model != null && model.isBlank()) {
            return "--model must not be blank";
        }
        if (baseUrl != null && !isHttpUrl(baseUrl)) {
            return "--base-url must be an absolute http or https URL with its version path, such as"
                    + " https://api.openai.com/v1 or http://localhost:11434/v1; was '" + baseUrl + "'";
        }
        if (tools && noStream) {
            return "--tools runs a tool loop over streamed rounds; it cannot be used with --no-stream";
        }
        return invalidMemoryOption();
    }

    /** The rules of {@code --embed}, {@code --dimensions}, {@code --count-tokens} and {@code --list-models}. */
    private String invalidMemoryOption() {
        List<String> modes = new ArrayList<>();
        if (embed) {
            modes.add("--embed");
        }
        if (countTokens) {
            modes.add("--count-tokens");
        }
        if (listModels) {
            modes.add("--list-models");
        }
        if (listProviders) {
            modes.add("--list-providers");
        }
        if (modes.size() > 1) {
            return String.join(" and ", modes) + " cannot be used together; give one";
        }
        if (dimensions != null && !embed) {
            return "--dimensions goes with --embed";
        }
        if (dimensions != null && dimensions <= 0) {
            return "--dimensions must be positive, was " + dimensions;
        }
        if (embed || listModels) {
            String mode = embed ? "--embed" : "--list-models";
            List<String> chatOnly = chatOnlyOptions();
            if (!chatOnly.isEmpty()) {
                return mode + " sends no chat request; it cannot be used with " + String.join(", ", chatOnly);
            }
        }
        if (countTokens && prompt.isEmpty() && terminal) {
            return "--count-tokens needs a PROMPT: give one as arguments or on standard input";
        }
        if (listModels && !prompt.isEmpty()) {
            return "--list-models takes no PROMPT; was given '" + String.join(" ", prompt) + "'";
        }
        return null;
    }

    /** The options given that shape a chat request only. */
    private List<String> chatOnlyOptions() {
        List<String> given = new ArrayList<>();
        if (system != null) {
            given.add("--system");
        }
        if (!images.isEmpty()) {
            given.add("--image");
        }
        if (maxTokens != null) {
            given.add("--max-tokens");
        }
        if (temperature != null) {
            given.add("--temperature");
        }
        if (tools) {
            given.add("--tools");
        }
        if (noStream) {
            given.add("--no-stream");
        }
        if (showReasoning) {
            given.add("--show-reasoning");
        }
        return given;
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI u = new URI(s.strip());
            return u.getScheme() != null && (u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                    && u.getHost() != null && s.equals(s.strip());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * The prompt of one turn, when one is given: text piped in first, then the PROMPT words, joined by a
     * space (as llm does).
     *
     * @return the prompt, or null on a terminal with no PROMPT (a conversation)
     * @throws IllegalArgumentException when standard input is not a terminal and holds nothing
     */
    private String oneTurnPrompt() throws IOException {
        if (!prompt.isEmpty()) {
            String given = String.join(" ", prompt);
            String piped = stdinPiped.getAsBoolean() ? readAll() : "";
            return piped.isBlank() ? given : piped + " " + given;
        }
        if (!terminal) {
            String piped = readAll().strip();
            if (piped.isEmpty()) {
                throw new IllegalArgumentException("no prompt: give one as arguments or on standard input");
            }
            return piped;
        }
        return null;
    }

    private int converse(LlmProvider llm, OfflineDemo demo) throws IOException {
        List<ChatMessage> history = new ArrayList<>();
        String oneTurn = oneTurnPrompt();
        if (oneTurn != null) {
            return turn(llm, demo, history, oneTurn);
        }
        conversation = true;
        try (LineEditor editor = new LineEditor(terminals.open(), () -> onCtrlC(exit))) {
            err.println("alfred-chat: a conversation with " + llm.id() + "; /help lists the commands, /exit or Ctrl-D quits.");
            if (debug) {
                err.println("alfred-chat: line editing on " + editor.describe());
            }
            while (true) {
                LineEditor.Input input = editor.read("you> ");
                if (input instanceof LineEditor.End) {
                    return ExitCode.OK; // JLine has ended the line
                }
                if (input instanceof LineEditor.CtrlC c) {
                    if (c.typed().isEmpty()) {
                        return ExitCode.INTERRUPTED;
                    }
                    continue; // the line typed is dropped; a new prompt
                }
                String l = ((LineEditor.Line) input).text().strip();
                if (l.isEmpty()) {
                    continue;
                }
                if (l.startsWith("/")) {
                    if (l.equals("/exit") || l.equals("/quit")) {
                        return ExitCode.OK;
                    } else if (l.equals("/reset")) {
                        history.clear();
                        err.println("alfred-chat: conversation forgotten");
                    } else if (l.equals("/help")) {
                        err.println("alfred-chat: " + COMMANDS);
                    } else {
                        err.println("alfred-chat: unknown command " + l.split("\\s+")[0] + "; /help lists the commands");
                    }
                    continue;
                }
                turn(llm, demo, history, l); // a failed turn is reported and left out of the history
            }
        }
    }

    private String readAll() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** One exchange; prints its answer or its failure and returns the exit code it stands for. */
    private int turn(LlmProvider llm, OfflineDemo demo, List<ChatMessage> history, String userText) {
        UserMessage question = question(userText, history.isEmpty());
        ChatRequest request = request(history, question);
        boolean toolLoop = toolLoop(demo);
        if (demo != null) {
            demo.script(userText, !noStream, toolLoop);
        }
        List<ToolLoopEvent.ToolFinished> ran = toolLoop ? new ArrayList<>() : null;
        Set<String> warnings = new LinkedHashSet<>();
        List<ChatMessage> said = List.of(question);
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder refusal = new StringBuilder();
        lineOpen = false;
        Spinner spinner = new Spinner(err);
        boolean spin = terminal && !json;
        synchronized (turnLock) {
            turnCancelled = false;
            turnThread = Thread.currentThread();
        }
        long start = System.nanoTime();
        long firstToken = -1;
        try {
            ChatResponse response;
            if (noStream) {
                if (spin) {
                    spinner.start("waiting for " + llm.id() + "…");
                }
                response = llm.chat(request);
                spinner.stop();
                if (!json) {
                    printReasoning(response.reasoning(), true);
                    endReasoning(!response.reasoning().isEmpty());
                    out.print(response.content());
                    lineOpen = !response.content().isEmpty();
                    response.toolCalls().forEach(this::printToolCall);
                }
            } else if (toolLoop) {
                if (spin) {
                    spinner.start("waiting for " + llm.id() + "…");
                }
                ToolLoop.Builder loop = ToolLoop.builder(llm);
                DemoTools.all(clock).forEach(loop::tool);
                try (ToolRun run = loop.build().start(request)) {
                    current = run;
                    if (turnCancelled) {
                        run.close();
                    }
                    boolean inReasoning = false;
                    for (ToolLoopEvent event : run) {
                        boolean output = event instanceof ToolLoopEvent.Text || event instanceof ToolLoopEvent.Reasoning;
                        if (firstToken < 0 && output) {
                            firstToken = System.nanoTime() - start;
                            spinner.stop();
                        }
                        if (event instanceof ToolLoopEvent.Reasoning r) {
                            inReasoning = reasoningPiece(r.text(), inReasoning, reasoning);
                            continue;
                        }
                        if (output) {
                            inReasoning = closeReasoning(inReasoning);
                        }
                        if (event instanceof ToolLoopEvent.Text t) {
                            textPiece(t.text(), text);
                        } else if (event instanceof ToolLoopEvent.RoundFinished round) {
                            warnings.addAll(round.response().warnings());
                        } else if (event instanceof ToolLoopEvent.ToolFinished f) {
                            ran.add(f);
                            if (debug && !json) {
                                err.println("alfred-chat: tool " + f.call().name() + "(" + f.call().arguments() + ") → "
                                        + (f.error() ? "[error] " : "") + oneLine(f.result()));
                            }
                        }
                    }
                    if (inReasoning) {
                        endReasoning(true);
                    }
                    ChatResponse last = run.response();
                    response = last.withUsage(run.usage());
                    List<ChatMessage> transcript = run.transcript();
                    said = transcript.subList(request.messages().size() - 1, transcript.size());
                }
            } else {
                if (spin) {
                    spinner.start("waiting for " + llm.id() + "…");
                }
                try (ChatStream stream = llm.stream(request)) {
                    current = stream;
                    if (turnCancelled) {
                        stream.close();
                    }
                    boolean inReasoning = false;
                    for (ChatDelta delta : stream) {
                        if (firstToken < 0) {
                            firstToken = System.nanoTime() - start;
                            spinner.stop();
                        }
                        if (delta instanceof ChatDelta.Reasoning r) {
                            inReasoning = reasoningPiece(r.text(), inReasoning, reasoning);
                            continue;
                        }
                        inReasoning = closeReasoning(inReasoning);
                        if (delta instanceof ChatDelta.Text t) {
                            textPiece(t.text(), text);
                        } else if (delta instanceof ChatDelta.Refusal r) {
                            textPiece(r.text(), refusal); // shown as it arrives, as the answer would be
                        } else if (delta instanceof ChatDelta.ToolCallEnd end && !json) {
                            printToolCall(end.call());
                        }
                    }
                    if (inReasoning) {
                        endReasoning(true);
                    }
                    response = stream.response();
                }
            }
            long total = System.nanoTime() - start;
            warnings.addAll(response.warnings());
            if (json) {
                out.println(JsonReport.answer(response, firstToken, total, ran, List.copyOf(warnings)));
            } else {
                if (refusal.length() == 0 && !response.refusal().isEmpty()) {
                    out.print(response.refusal()); // a refusal that came whole (a blocking call, a tool loop)
                }
                out.println();
                out.flush();
                if (response.isRefusal()) {
                    err.println("alfred-chat: the model refused to answer (finish reason: refusal)");
                }
                for (String w : warnings) {
                    if (debug || !w.startsWith(KEPT)) { // fields kept unmodelled: a developer's matter
                        err.println(style.dim("alfred-chat: warning: " + oneLine(w)));
                    }
                }
                err.println(stats(response, firstToken, total));
            }
            out.flush();
            history.addAll(said);
            if (!toolLoop) {
                history.add(ChatMessage.of(response));
            }
            return response.isRefusal() ? ExitCode.REFUSED : ExitCode.OK;
        } catch (LlmException e) {
            spinner.stop(); // its line is cleared before the error is written there
            return turnFailed(e, turnCancelled, text.toString(), reasoning.toString());
        } finally {
            spinner.stop();
            synchronized (turnLock) {
                current = null;
                turnThread = null;
                turnLock.notifyAll();
            }
            Thread.interrupted(); // a Ctrl-C that stopped this turn must not stop the next
        }
    }

    /**
     * The request of a turn as the options make it, before a tool loop adds its tools: the system message,
     * the history, the question, the model, the limits and the deadline.
     */
    private ChatRequest request(List<ChatMessage> history, UserMessage question) {
        ChatRequest.Builder b = ChatRequest.builder();
        if (system != null) {
            b.system(system);
        }
        b.messages(history).model(model).maxTokens(maxTokens).temperature(temperature);
        if (timeout != null) {
            b.settings(RequestSettings.builder().timeout(timeout).build());
        }
        b.message(question);
        return b.build();
    }

    /** Whether a turn runs in a tool loop: with {@code --tools}, and in the offline demo, unless blocking. */
    private boolean toolLoop(OfflineDemo demo) {
        return !noStream && (tools || demo != null);
    }

    /**
     * {@code --count-tokens}: the one-turn prompt's request as a turn would send it (the tool loop's tools
     * declared as the loop declares them), counted by the provider's counter; nothing goes to the chat
     * endpoint.
     */
    private int countTokens(LlmProvider llm, OfflineDemo demo) throws IOException {
        String userText = oneTurnPrompt();
        if (userText == null) {
            return fail(ExitCode.USAGE, "--count-tokens needs a PROMPT: give one as arguments or on standard input", null);
        }
        ChatRequest request = request(List.of(), question(userText, true));
        if (toolLoop(demo)) {
            SchemaDialect dialect = SchemaDialect.forProvider(llm);
            ChatRequest.Builder withTools = request.toBuilder();
            DemoTools.all(clock).forEach(t -> withTools.tools(t.definition(dialect)));
            request = withTools.build();
        }
        TokenCount count;
        try {
            count = llm.tokenCounter().count(request);
        } catch (LlmException e) {
            return callFailed(e);
        }
        out.println(json ? JsonReport.tokenCount(count, llm.id(), request.model())
                : count.tokens() + " tokens (" + lower(count.kind().name()) + ": " + count.method() + ")");
        out.flush();
        return ExitCode.OK;
    }

    /** {@code --list-models}: the provider's catalogue, as a table or a JSON array. */
    private int listModels(LlmProvider llm) {
        List<ModelInfo> models;
        try {
            models = llm.models();
        } catch (LlmException e) {
            return callFailed(e);
        }
        out.print(json ? JsonReport.models(models) + System.lineSeparator() : ModelListing.of(models));
        out.flush();
        return ExitCode.OK;
    }

    /**
     * {@code --embed}: the texts piped in (one a line) and given (one an argument), embedded by the provider
     * with this id, made through discovery so that its decorators (retries, OpenTelemetry) apply.
     */
    private int embed(String id, ProviderConfig config, List<String> texts) {
        EmbeddingRequest request = EmbeddingRequest.builder().texts(texts).model(model).dimensions(dimensions).build();
        EmbeddingProvider embeddings;
        try {
            embeddings = LlmProviders.createEmbeddings(id, config);
        } catch (UnsupportedFeatureException e) {
            return fail(ExitCode.USAGE, e.getMessage(), e);
        }
        try (embeddings) {
            long start = System.nanoTime();
            EmbeddingResponse response = embeddings.embed(request);
            long total = System.nanoTime() - start;
            if (json) {
                out.println(JsonReport.embeddings(response, total));
            } else {
                for (int i = 0; i < response.size(); i++) {
                    out.println(embeddingLine(i, response.vector(i), texts.get(i)));
                }
                err.println(String.format(Locale.ROOT, "[%s · %d vectors of %d dimensions · tokens %d · total %.2f s]",
                        response.model() == null ? "model not reported" : response.model(), response.size(),
                        response.dimensions(), response.usage().promptTokens(), total / 1e9));
            }
            out.flush();
            return ExitCode.OK;
        } catch (LlmException e) {
            return callFailed(e);
        }
    }

    /**
     * The texts of {@code --embed}: each non-blank line piped in, then each PROMPT argument.
     *
     * @throws IllegalArgumentException when an argument is blank, or there is no text at all
     */
    private List<String> embedTexts() throws IOException {
        List<String> texts = new ArrayList<>();
        if (stdinPiped.getAsBoolean() || (prompt.isEmpty() && !terminal)) {
            readAll().lines().filter(l -> !l.isBlank()).forEach(texts::add);
        }
        for (int i = 0; i < prompt.size(); i++) {
            if (prompt.get(i).isBlank()) {
                throw new IllegalArgumentException("--embed: argument " + (i + 1) + " is blank; an embedding needs"
                        + " some text");
            }
        }
        texts.addAll(prompt);
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("--embed needs texts: give them as arguments (one a text) or on"
                    + " standard input (one a line)");
        }
        return texts;
    }

    /** How many of a vector's floats {@code --embed} prints on its line. */
    private static final int FLOATS_SHOWN = 4;

    /** One text's line: {@code 0  256 dimensions  [0.1250, -0.2500, 0.0000, 0.1250, …]  the text}. */
    static String embeddingLine(int index, float[] vector, String text) {
        StringBuilder floats = new StringBuilder();
        for (int i = 0; i < Math.min(FLOATS_SHOWN, vector.length); i++) {
            floats.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", vector[i]));
        }
        if (vector.length > FLOATS_SHOWN) {
            floats.append(", …");
        }
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return index + "  " + vector.length + " dimensions  [" + floats + "]  "
                + (oneLine.length() > 60 ? oneLine.substring(0, 60) + "…" : oneLine);
    }

    /**
     * A call beside chat failed: a feature the provider lacks is a usage error, with the library's message
     * (which names the alternative); anything else is reported as a failed turn is.
     */
    private int callFailed(LlmException e) {
        if (e instanceof UnsupportedFeatureException) {
            return fail(ExitCode.USAGE, e.getMessage(), e);
        }
        return turnFailed(e, false, "", "");
    }

    /** Keeps a piece of reasoning and shows it when asked; returns whether a shown reasoning block is open. */
    private boolean reasoningPiece(String piece, boolean inReasoning, StringBuilder reasoning) {
        reasoning.append(piece);
        if (!json && showReasoning) {
            printReasoning(piece, !inReasoning);
            return true;
        }
        return inReasoning;
    }

    /** Ends a shown reasoning block before other output; returns false, the block's new state. */
    private boolean closeReasoning(boolean inReasoning) {
        if (inReasoning) {
            endReasoning(true);
        }
        return false;
    }

    /** Keeps a piece of the answer (or of a refusal) and prints it, unless the output is JSON. */
    private void textPiece(String piece, StringBuilder text) {
        text.append(piece);
        if (!json) {
            out.print(piece);
            out.flush();
            lineOpen = true;
        }
    }

    /** The user's message: the text, with the {@code --image} files on the first turn. */
    private UserMessage question(String userText, boolean first) {
        if (!first || imageParts.isEmpty()) {
            return ChatMessage.user(userText);
        }
        List<ContentPart> parts = new ArrayList<>();
        parts.add(ContentPart.text(userText));
        parts.addAll(imageParts);
        return new UserMessage(parts);
    }

    /** A tool call the model asked for, on a line of its own: {@code → name(arguments)}. */
    private void printToolCall(ToolCall call) {
        if (lineOpen) {
            out.println();
        }
        lineOpen = true;
        out.print("→ " + call.name() + "(" + call.arguments() + ")"
                + (call.status() == ToolCall.Status.COMPLETE ? "" : " [" + lower(call.status().name()) + "]"));
        out.flush();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private void printReasoning(String r, boolean first) {
        if (!showReasoning || r.isEmpty()) {
            return;
        }
        if (style.ansi()) {
            err.print(style.dim(r));
        } else {
            err.print((first ? "thinking: " : "") + r);
        }
        err.flush();
    }

    private void endReasoning(boolean shown) {
        if (showReasoning && shown) {
            err.println();
            if (!style.ansi()) {
                err.println();
            }
        }
    }

    private int turnFailed(LlmException e, boolean cancelled, String partialText, String partialReasoning) {
        int code = cancelled ? ExitCode.INTERRUPTED : ExitCode.of(e);
        int attempts = attempts(e);
        if (json) {
            out.println(JsonReport.error(kind(e, cancelled), cancelled ? "cancelled" : oneLine(e.getMessage()), e, attempts,
                    partialText, partialReasoning));
            out.flush();
            return code;
        }
        if (!partialText.isEmpty()) {
            out.println();
            out.flush();
        }
        if (cancelled) {
            err.println("alfred-chat: cancelled");
            return code;
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.println("alfred-chat: " + oneLine(e.getMessage()) + (attempts > 1 ? " (after " + attempts + " attempts)" : "")
                + explanation(e));
        return code;
    }

    /** What the one-line error adds to the library's message: why it was not retried, in the user's terms. */
    private String explanation(LlmException e) {
        LlmException cause = e instanceof StreamInterruptedException s && s.getCause() != null ? s.getCause() : e;
        if (cause instanceof QuotaExceededException) {
            return "; this is a quota or billing limit, not retried: waiting will not help (see your plan and billing)";
        }
        if (cause.retryAfter().isPresent()) {
            Duration wait = cause.retryAfter().get();
            String asked = "; the server asks to wait " + human(wait) + " before another try";
            if (!retries) {
                return asked;
            }
            if (wait.compareTo(maxRetryAfter) > 0) {
                return asked + ", longer than the " + human(maxRetryAfter)
                        + " alfred-chat waits at most (RETRY_MAX_RETRY_AFTER): not retried";
            }
            return asked;
        }
        return "";
    }

    /** A duration as a person reads it: 300 ms, 45 s, 60 min, 3 h. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return s / 60 + " min";
        }
        return s / 3600 + " h";
    }

    /** The attempts a failure stands for: the retry decorator attaches the earlier ones as suppressed. */
    private static int attempts(LlmException e) {
        int n = 1;
        for (Throwable s : e.getSuppressed()) {
            if (s instanceof LlmException) {
                n++;
            }
        }
        return n;
    }

    private static String kind(LlmException e, boolean cancelled) {
        if (cancelled) {
            return "cancelled";
        }
        if (e instanceof StreamInterruptedException) {
            return "interrupted";
        }
        if (e instanceof ProviderNotFoundException) {
            return "usage";
        }
        if (e instanceof AuthenticationException) {
            return "authentication";
        }
        if (e instanceof RateLimitException) {
            return "rate_limit";
        }
        if (e instanceof QuotaExceededException) {
            return "quota";
        }
        if (e instanceof InvalidRequestException) {
            return "invalid_request";
        }
        if (e instanceof ProviderUnavailableException) {
            return "unavailable";
        }
        if (e instanceof ResponseTooLargeException) {
            return "response_too_large";
        }
        if (e instanceof MalformedResponseException) {
            return "malformed_response";
        }
        return "other";
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ');
    }

    private static String stats(ChatResponse r, long firstTokenNanos, long totalNanos) {
        dev.alfred.llm.Usage u = r.usage();
        String tokens = u == null ? "tokens not reported"
                : String.format(Locale.ROOT, "tokens in %d (%d cached) · out %d (%d reasoning)", u.promptTokens(),
                u.cachedTokens(), u.completionTokens(), u.reasoningTokens());
        String first = firstTokenNanos < 0 ? "" : String.format(Locale.ROOT, "first token %d ms · ", firstTokenNanos / 1_000_000);
        String finish = JsonReport.finishReason(r);
        return String.format(Locale.ROOT, "[%s · %s · %stotal %.2f s · %s]",
                r.model() == null ? "model not reported" : r.model(), tokens, first,
                totalNanos / 1e9, finish == null ? "no finish reason" : finish);
    }

    private int listProviders() {
        ProviderRegistry registry = LlmProviders.registry();
        if (json) {
            out.println(JsonReport.providers(registry));
            return ExitCode.OK;
        }
        if (registry.ids().isEmpty()) {
            out.println("no providers found on the class path");
        }
        for (String id : registry.ids()) {
            out.println("provider  " + id + "  " + registry.origin(id));
        }
        registry.decorators().forEach(d -> out.println("decorator " + d.id() + "  " + registry.decoratorOrigin(d.id())
                + ", order " + d.order()));
        registry.loadFailures().forEach(f -> out.println("failed    " + f));
        return ExitCode.OK;
    }

    /** A failure before any request was sent (or outside a turn): one line, and one JSON object with --json. */
    private int fail(int code, String message, Exception e) {
        if (debug && e != null) {
            e.printStackTrace(err);
        }
        String line = message == null ? String.valueOf(e) : oneLine(message);
        if (json) { // one object on stdout whatever happens, usage errors found after parsing included
            LlmException failure = e instanceof LlmException ? (LlmException) e : null;
            String kind = code == ExitCode.USAGE ? "usage" : failure == null ? "other" : kind(failure, false);
            out.println(JsonReport.error(kind, line, failure, 0, "", ""));
            out.flush();
        }
        err.println("alfred-chat: " + line);
        if (code == ExitCode.USAGE) {
            err.println("Try 'alfred-chat --help' for more.");
        }
        return code;
    }

    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ returns a Console even when redirected; isTerminal() then tells.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }

    /** {@code --timeout}: a positive duration, such as {@code 30s}, {@code 2m}, {@code 500ms} or {@code PT1M}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = ProviderConfig.builder().set("timeout", value).build().getDuration("timeout").orElseThrow();
            } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 30s, 2m,"
                        + " 500ms or 1h");
            }
            if (d.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is no time at all; give a positive"
                        + " duration such as 30s");
            }
            return d;
        }
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream s = AlfredChat.class.getResourceAsStream("version.properties")) {
                if (s != null) {
                    p.load(s);
                }
            }
            return new String[] {"alfred-chat " + p.getProperty("version", "dev") + " (Java " + Runtime.version() + ")"};
        }
    }
}
