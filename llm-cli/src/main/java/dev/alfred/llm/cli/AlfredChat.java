package dev.alfred.llm.cli;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.config.ProviderRegistry;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.UserMessage;
import dev.alfred.llm.tools.ToolLoop;
import dev.alfred.llm.tools.ToolLoopEvent;
import dev.alfred.llm.tools.ToolRun;
import dev.alfred.llm.Usage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code alfred-chat}: a chat with a large language model from the command line, streamed, through the
 * provider SPI exactly as the bot uses it. With no API key it answers offline from an embedded fake
 * server, so the whole real path runs with no network.
 */
@Command(name = "alfred-chat", mixinStandardHelpOptions = true, versionProvider = AlfredChat.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Chat with a large language model through alfred-llm: one turn with a PROMPT, a conversation"
                + " on a terminal without one, or the prompt read from standard input on a pipe.",
            "With no KIMI_API_KEY, base URL or provider given (or with --offline) it answers from a scripted demo"
                + " server on loopback."},
        footer = {"", "Environment: LLM_PROVIDER; KIMI_API_KEY (or MOONSHOT_API_KEY), KIMI_BASE_URL, KIMI_MODEL;"
                + " OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_DIALECT; ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,"
                + " ANTHROPIC_MODEL; RETRY_MAX_ATTEMPTS, RETRY_ENABLED, …", ExitCode.TEXT})
public final class AlfredChat implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PROMPT", description = "What to ask; the words are joined with spaces.")
    private List<String> prompt = new ArrayList<>();

    @Option(names = "--provider", paramLabel = "ID", description = "Provider id: openai, kimi or anthropic (default: LLM_PROVIDER, else kimi).")
    private String provider;

    @Option(names = "--model", description = "Model to use instead of the provider's default.")
    private String model;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message framing the conversation.")
    private String system;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens to generate, reasoning included.")
    private Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (Kimi's newer models fix it).")
    private Double temperature;

    @Option(names = "--base-url", paramLabel = "URL", description = "The provider's base URL (sets <provider>.base.url); a loopback URL, such as a local"
            + " OpenAI-compatible server with --provider openai, needs no key.")
    private String baseUrl;

    @Option(names = "--image", paramLabel = "FILE", description = "Attach an image (PNG, JPEG, GIF, WebP) to the prompt; repeatable.")
    private List<Path> images = new ArrayList<>();

    /** Kimi's whole request must stay under 100 MB; one image is held to 20 MB. */
    private static final long MAX_IMAGE_BYTES = 20L << 20;
    private final List<ContentPart> imageParts = new ArrayList<>();
    /** Whether this turn's answer has printed something on the current line. */
    private boolean lineOpen;

    @Option(names = "--no-stream", description = "One blocking call instead of a stream.")
    private boolean noStream;

    @Option(names = "--json", description = "Print one JSON object (content, reasoning, usage, finish reason, timings).")
    private boolean json;

    @Option(names = "--show-reasoning", description = "Print the model's reasoning on stderr, set apart from the answer.")
    private boolean showReasoning;

    @Option(names = "--list-providers", description = "List the providers and decorators discovery found, and where from.")
    private boolean listProviders;

    @Option(names = "--offline", description = "Answer from the scripted demo server even when a key is set.")
    private boolean offline;

    @Option(names = "--debug", description = "Log the library's debug lines (retries included), show tool calls and"
            + " their results, and print stack traces.")
    private boolean debug;

    @Option(names = "--tools", description = "Let the model call alfred-chat's demo tools (a clock), run in a tool loop;"
            + " on in the offline demo.")
    private boolean tools;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** ANSI faint on and off, for reasoning on a terminal. */
    private static final String DIM = "\u001b[2m";
    private static final String UNDIM = "\u001b[22m";
    private static final String COMMANDS = "commands: /help this list · /reset forget the conversation · /exit quit"
            + " (or Ctrl-D) · Ctrl-C stops an answer, or quits at an empty prompt";

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final boolean terminal;
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

    AlfredChat(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment, boolean terminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.terminal = terminal;
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
        AlfredChat app = new AlfredChat(System.in, out, err, System.getenv(), isTerminal());
        onCtrlC(() -> {
            if (app.interrupt()) {
                err.println();
                System.exit(ExitCode.INTERRUPTED);
            }
        });
        System.exit(app.execute(args));
    }

    /**
     * Handles SIGINT in place of the JVM's default (exit through shutdown hooks), so that Ctrl-C can stop
     * one answer and keep the conversation. sun.misc.Signal is in jdk.unsupported, on every JDK since 9;
     * where it is refused, Ctrl-C falls back to a shutdown hook that still aborts the exchange.
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
            err.println("alfred-chat: " + e.getMessage());
            err.println(e.getCommandLine().getHelp().synopsis(0).strip());
            err.println("Try 'alfred-chat --help' for more.");
            return ExitCode.USAGE;
        });
        return cl.execute(args);
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
        ProviderConfig config = ProviderConfig.from(environment, System.getProperties());
        boolean providerGiven = provider != null || config.get(LlmProviders.PROVIDER_KEY).isPresent();
        String id = provider != null ? provider : config.get(LlmProviders.PROVIDER_KEY).orElse("kimi");
        if (offline && !id.equals("kimi")) {
            return fail(ExitCode.USAGE, "--offline answers as the kimi provider; it cannot be used with provider '" + id + "'", null);
        }
        boolean keySet = config.getFirst("kimi.api.key", "moonshot.api.key").isPresent();
        boolean baseUrlGiven = baseUrl != null || config.get("kimi.base.url").isPresent();
        if (baseUrl != null) {
            config = config.withOverrides(ProviderConfig.builder().set(id + ".base.url", baseUrl).build());
        }
        // The demo stands in only when nothing names a real target; a key missing for a named one is an error.
        boolean demoMode = offline || (id.equals("kimi") && !keySet && !baseUrlGiven && !providerGiven);
        OfflineDemo demo = null;
        AutoCloseable telemetry = null;
        try {
            telemetry = Telemetry.startIfRequested(telemetrySettings());
            if (demoMode) {
                // A 429 is scripted only where the retry decorator will absorb it.
                boolean retries = config.getBoolean("retry.enabled").orElse(true)
                        && config.getInt("retry.max-attempts").orElse(3) > 1
                        && LlmProviders.registry().decorators().stream().anyMatch(d -> d.id().equals("retry"));
                demo = new OfflineDemo(retries);
                config = demo.configure(config);
                err.println("alfred-chat: " + (offline ? "--offline" + (keySet ? " (KIMI_API_KEY is set and not used)" : "")
                        : "no KIMI_API_KEY set") + ": answering from a scripted demo server at " + demo.describe());
            }
            try (LlmProvider llm = LlmProviders.create(id, config)) {
                return converse(llm, demo);
            }
        } catch (IllegalArgumentException e) {
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
            String name = file.getFileName() == null ? "" : lower(file.getFileName().toString());
            String type = name.endsWith(".png") ? "image/png" : name.endsWith(".jpg") || name.endsWith(".jpeg") ? "image/jpeg"
                    : name.endsWith(".gif") ? "image/gif" : name.endsWith(".webp") ? "image/webp" : null;
            if (type == null) {
                return "--image " + file + ": not a PNG, JPEG, GIF or WebP file (by its extension)";
            }
            try {
                long size = Files.size(file);
                if (size == 0 || size > MAX_IMAGE_BYTES) {
                    return "--image " + file + ": " + size + " bytes; an image must have 1 to " + MAX_IMAGE_BYTES + " bytes";
                }
                imageParts.add(ContentPart.image(Files.readAllBytes(file), type));
            } catch (IOException e) {
                return "--image " + file + ": cannot read it (" + e.getMessage() + ")";
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
        if (baseUrl != null && baseUrl.isBlank()) {
            return "--base-url must not be blank";
        }
        if (tools && noStream) {
            return "--tools runs a tool loop over streamed rounds; it cannot be used with --no-stream";
        }
        return null;
    }

    private int converse(LlmProvider llm, OfflineDemo demo) throws IOException {
        List<ChatMessage> history = new ArrayList<>();
        if (!prompt.isEmpty()) {
            return turn(llm, demo, history, String.join(" ", prompt));
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        if (!terminal) {
            String piped = reader.lines().reduce((a, b) -> a + "\n" + b).orElse("").strip();
            if (piped.isEmpty()) {
                throw new IllegalArgumentException("no prompt: give one as arguments or on standard input");
            }
            return turn(llm, demo, history, piped);
        }
        conversation = true;
        err.println("alfred-chat: a conversation with " + llm.id() + "; /help lists the commands, /exit or Ctrl-D quits.");
        while (true) {
            err.print("you> ");
            err.flush();
            String line = reader.readLine();
            if (line == null) {
                err.println();
                return ExitCode.OK;
            }
            String l = line.strip();
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

    /** One exchange; prints its answer or its failure and returns the exit code it stands for. */
    private int turn(LlmProvider llm, OfflineDemo demo, List<ChatMessage> history, String userText) {
        ChatRequest.Builder b = ChatRequest.builder();
        if (system != null) {
            b.system(system);
        }
        b.messages(history).model(model).maxTokens(maxTokens).temperature(temperature);
        UserMessage question = question(userText, history.isEmpty());
        b.message(question);
        ChatRequest request = b.build();
        boolean toolLoop = !noStream && (tools || demo != null);
        if (demo != null) {
            demo.script(userText, !noStream, toolLoop);
        }
        List<ToolLoopEvent.ToolFinished> ran = toolLoop ? new ArrayList<>() : null;
        List<ChatMessage> said = List.of(question);
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
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
                response = llm.chat(request);
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
            if (json) {
                out.println(toJson(response, firstToken, total, ran));
            } else {
                out.println();
                err.println(stats(response, firstToken, total));
            }
            out.flush();
            history.addAll(said);
            if (!toolLoop) {
                history.add(ChatMessage.of(response));
            }
            return ExitCode.OK;
        } catch (LlmException e) {
            return turnFailed(e, turnCancelled, text.toString(), reasoning.toString());
        } finally {
            spinner.stop();
            synchronized (turnLock) {
                current = null;
                turnThread = null;
            }
            Thread.interrupted(); // a Ctrl-C that stopped this turn must not stop the next
        }
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

    /** Keeps a piece of the answer and prints it, unless the output is JSON. */
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
        if (terminal) {
            err.print(DIM + r + UNDIM);
        } else {
            err.print((first ? "thinking: " : "") + r);
        }
        err.flush();
    }

    private void endReasoning(boolean shown) {
        if (showReasoning && shown) {
            err.println();
            if (!terminal) {
                err.println();
            }
        }
    }

    private int turnFailed(LlmException e, boolean cancelled, String partialText, String partialReasoning) {
        int code = cancelled ? ExitCode.INTERRUPTED : ExitCode.of(e);
        int attempts = attempts(e);
        if (json) {
            out.println(errorJson(kind(e, cancelled), cancelled ? "cancelled" : oneLine(e.getMessage()), e, attempts,
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
        err.println("alfred-chat: " + oneLine(e.getMessage()) + (attempts > 1 ? " (after " + attempts + " attempts)" : ""));
        return code;
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
        return "other";
    }

    /**
     * The one JSON object --json prints on failure, whatever failed.
     *
     * @param e the library's failure, or null when the failure was not one (a usage error)
     */
    private static String errorJson(String kind, String message, LlmException e, int attempts, String text,
                                    String reasoning) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("kind", kind);
        error.put("message", message);
        if (e != null && e.httpStatus().isPresent()) {
            error.put("status", e.httpStatus().getAsInt());
        } else {
            error.putNull("status");
        }
        error.put("error_type", e == null ? null : e.errorType().orElse(null));
        if (e != null && e.retryAfter().isPresent()) {
            error.put("retry_after_ms", e.retryAfter().get().toMillis());
        } else {
            error.putNull("retry_after_ms");
        }
        error.put("attempts", attempts);
        if (!text.isEmpty() || !reasoning.isEmpty() || e instanceof StreamInterruptedException) {
            root.put("content", text);
            root.put("reasoning", reasoning);
        }
        return JSON.writeValueAsString(root);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ');
    }

    private static String stats(ChatResponse r, long firstTokenNanos, long totalNanos) {
        Usage u = r.usage();
        String tokens = u == null ? "tokens not reported"
                : String.format(Locale.ROOT, "tokens in %d (%d cached) · out %d (%d reasoning)", u.promptTokens(),
                u.cachedTokens(), u.completionTokens(), u.reasoningTokens());
        String first = firstTokenNanos < 0 ? "" : String.format(Locale.ROOT, "first token %d ms · ", firstTokenNanos / 1_000_000);
        return String.format(Locale.ROOT, "[%s · %s · %stotal %.2f s · %s]",
                r.model() == null ? "model not reported" : r.model(), tokens, first,
                totalNanos / 1e9, r.finishReason() == null ? "no finish reason" : r.finishReason().name().toLowerCase(Locale.ROOT));
    }

    private static String toJson(ChatResponse r, long firstTokenNanos, long totalNanos,
                                 List<ToolLoopEvent.ToolFinished> ran) {
        ObjectNode root = JSON.createObjectNode();
        root.put("content", r.content());
        root.put("reasoning", r.reasoning());
        root.put("model", r.model());
        root.put("finish_reason", r.finishReason() == null ? null : r.finishReason().name().toLowerCase(Locale.ROOT));
        ArrayNode calls = root.putArray("tool_calls");
        for (ToolCall c : r.toolCalls()) {
            calls.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments())
                    .put("status", lower(c.status().name()));
        }
        if (ran != null) {
            ArrayNode run = root.putArray("tools_run");
            for (ToolLoopEvent.ToolFinished f : ran) {
                run.addObject().put("name", f.call().name()).put("arguments", f.call().arguments()).put("result", f.result())
                        .put("error", f.error());
            }
        }
        if (r.usage() != null) {
            ObjectNode u = root.putObject("usage");
            u.put("prompt_tokens", r.usage().promptTokens());
            u.put("completion_tokens", r.usage().completionTokens());
            u.put("total_tokens", r.usage().totalTokens());
            u.put("cached_tokens", r.usage().cachedTokens());
            u.put("reasoning_tokens", r.usage().reasoningTokens());
        } else {
            root.putNull("usage");
        }
        ObjectNode t = root.putObject("timings");
        if (firstTokenNanos >= 0) {
            t.put("first_token_ms", firstTokenNanos / 1_000_000.0);
        } else {
            t.putNull("first_token_ms");
        }
        t.put("total_ms", totalNanos / 1_000_000.0);
        return JSON.writeValueAsString(root);
    }

    private int listProviders() {
        ProviderRegistry registry = LlmProviders.registry();
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

    private int fail(int code, String message, Exception e) {
        if (debug && e != null) {
            e.printStackTrace(err);
        }
        String line = message == null ? String.valueOf(e) : oneLine(message);
        if (json) { // one object on stdout whatever happens, usage errors found after parsing included
            LlmException failure = e instanceof LlmException ? (LlmException) e : null;
            out.println(errorJson(failure == null ? "other" : kind(failure, false), line, failure,
                    failure == null ? 1 : attempts(failure), "", ""));
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
