package dev.alfred.llm.cli;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.ProviderConfig;
import dev.alfred.llm.ProviderRegistry;
import dev.alfred.llm.Usage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code alfred-chat}: a chat with a large language model from the command line, streamed, through the
 * provider SPI exactly as the bot uses it. With no API key it answers offline from an embedded fake
 * server, so the whole real path runs with no network.
 */
@Command(name = "alfred-chat", mixinStandardHelpOptions = true, versionProvider = AlfredChat.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Chat with a large language model through alfred-llm: one turn with a PROMPT, a conversation"
                + " on a terminal without one, or the prompt read from standard input on a pipe.",
            "With no KIMI_API_KEY (or with --offline) it answers from an embedded fake Kimi server."},
        footer = {"", "Environment: KIMI_API_KEY (or MOONSHOT_API_KEY), KIMI_BASE_URL, KIMI_MODEL, LLM_PROVIDER,"
                + " RETRY_MAX_ATTEMPTS, RETRY_ENABLED, …", ExitCode.TEXT})
public final class AlfredChat implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PROMPT", description = "What to ask; the words are joined with spaces.")
    private List<String> prompt = new ArrayList<>();

    @Option(names = "--provider", paramLabel = "ID", description = "Provider id (default: LLM_PROVIDER, else kimi).")
    private String provider;

    @Option(names = "--model", description = "Model to use instead of the provider's default.")
    private String model;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message framing the conversation.")
    private String system;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens to generate, reasoning included.")
    private Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (Kimi's newer models fix it).")
    private Double temperature;

    @Option(names = "--base-url", paramLabel = "URL", description = "The provider's base URL (sets <provider>.base.url).")
    private String baseUrl;

    @Option(names = "--no-stream", description = "One blocking call instead of a stream.")
    private boolean noStream;

    @Option(names = "--json", description = "Print one JSON object (content, reasoning, usage, finish reason, timings).")
    private boolean json;

    @Option(names = "--show-reasoning", description = "Print the model's reasoning on stderr as it streams.")
    private boolean showReasoning;

    @Option(names = "--list-providers", description = "List the providers and decorators discovery found, and where from.")
    private boolean listProviders;

    @Option(names = "--offline", description = "Answer from the embedded fake server even when a key is set.")
    private boolean offline;

    @Option(names = "--debug", description = "Log the library's debug lines (retries included) and print stack traces.")
    private boolean debug;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final boolean terminal;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile ChatStream current;
    private volatile boolean cancelled;

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
        // Ctrl-C: the JVM runs this hook and then exits with 130; the hook aborts the exchange first.
        Thread hook = new Thread(app::cancelAndWait, "alfred-chat-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = app.execute(args);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return;
        }
        System.exit(code);
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
        try {
            return cl.execute(args);
        } finally {
            finished.countDown();
        }
    }

    /** Cancels the stream under way, if any: its exchange is aborted and the run exits with 130. */
    void cancel() {
        cancelled = true;
        ChatStream s = current;
        if (s != null) {
            s.close();
        }
    }

    private void cancelAndWait() {
        cancel();
        try {
            finished.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Integer call() {
        if (listProviders) {
            return listProviders();
        }
        ProviderConfig config = ProviderConfig.from(environment, System.getProperties());
        String id = provider != null ? provider : config.get(LlmProviders.PROVIDER_KEY).orElse("kimi");
        if (baseUrl != null) {
            config = config.withOverrides(ProviderConfig.builder().set(id + ".base.url", baseUrl).build());
        }
        boolean noKey = config.getFirst("kimi.api.key", "moonshot.api.key").isEmpty();
        OfflineDemo demo = null;
        try {
            if (id.equals("kimi") && (offline || noKey)) {
                demo = new OfflineDemo();
                config = demo.configure(config);
                err.println("alfred-chat: " + (offline ? "--offline" : "no KIMI_API_KEY set")
                        + ": answering offline from an embedded fake Kimi server at " + demo.describe());
            }
            try (LlmProvider llm = LlmProviders.create(id, config)) {
                return converse(llm, demo);
            }
        } catch (IllegalArgumentException e) {
            return fail(ExitCode.USAGE, e.getMessage(), e);
        } catch (LlmException e) {
            if (cancelled) {
                err.println();
                err.println("alfred-chat: cancelled");
                return ExitCode.INTERRUPTED;
            }
            return fail(ExitCode.of(e), e.getMessage(), e);
        } catch (IOException e) {
            return fail(ExitCode.OTHER, "cannot read the prompt: " + e.getMessage(), e);
        } finally {
            if (demo != null) {
                demo.close();
            }
        }
    }

    private int converse(LlmProvider llm, OfflineDemo demo) throws IOException {
        List<ChatMessage> history = new ArrayList<>();
        if (!prompt.isEmpty()) {
            turn(llm, demo, history, String.join(" ", prompt));
            return ExitCode.OK;
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        if (!terminal) {
            String piped = reader.lines().reduce((a, b) -> a + "\n" + b).orElse("").strip();
            if (piped.isEmpty()) {
                throw new IllegalArgumentException("no prompt: give one as arguments or on standard input");
            }
            turn(llm, demo, history, piped);
            return ExitCode.OK;
        }
        err.println("alfred-chat: a conversation with " + llm.id() + "; /reset forgets it, /exit (or Ctrl-D) quits.");
        while (!cancelled) {
            err.print("you> ");
            err.flush();
            String line = reader.readLine();
            if (line == null || line.strip().equals("/exit")) {
                break;
            }
            if (line.strip().equals("/reset")) {
                history.clear();
                err.println("alfred-chat: history cleared");
                continue;
            }
            if (!line.isBlank()) {
                turn(llm, demo, history, line.strip());
            }
        }
        return ExitCode.OK;
    }

    private void turn(LlmProvider llm, OfflineDemo demo, List<ChatMessage> history, String userText) {
        ChatRequest.Builder b = ChatRequest.builder();
        if (system != null) {
            b.system(system);
        }
        b.messages(history).user(userText).model(model).maxTokens(maxTokens).temperature(temperature);
        ChatRequest request = b.build();
        if (demo != null) {
            demo.script(userText, !noStream);
        }
        long start = System.nanoTime();
        long firstToken = -1;
        ChatResponse response;
        if (noStream) {
            response = llm.chat(request);
            firstToken = System.nanoTime() - start;
            if (!json) {
                if (showReasoning && !response.reasoning().isEmpty()) {
                    err.println(response.reasoning());
                }
                out.print(response.content());
            }
        } else {
            Spinner spinner = new Spinner(err);
            boolean spin = terminal && !json;
            if (spin) {
                spinner.start("waiting for " + llm.id() + "…");
            }
            try (ChatStream stream = llm.stream(request)) {
                current = stream;
                if (cancelled) {
                    stream.close();
                }
                for (ChatDelta delta : stream) {
                    if (firstToken < 0) {
                        firstToken = System.nanoTime() - start;
                        if (spin) {
                            spinner.stop();
                        }
                    }
                    if (json) {
                        continue;
                    }
                    if (delta.isText()) {
                        out.print(delta.text());
                        out.flush();
                    } else if (delta.isReasoning() && showReasoning) {
                        err.print(delta.text());
                        err.flush();
                    }
                }
                response = stream.response();
            } finally {
                current = null;
                spinner.stop();
            }
        }
        long total = System.nanoTime() - start;
        if (json) {
            out.println(toJson(response, firstToken, total));
        } else {
            out.println();
            if (showReasoning) {
                err.println();
            }
            err.println(stats(response, firstToken, total));
        }
        out.flush();
        history.add(ChatMessage.user(userText));
        history.add(ChatMessage.of(response));
    }

    private static String stats(ChatResponse r, long firstTokenNanos, long totalNanos) {
        Usage u = r.usage();
        String tokens = u == null ? "tokens not reported"
                : String.format(Locale.ROOT, "tokens in %d (%d cached) · out %d (%d reasoning)", u.promptTokens(),
                u.cachedTokens(), u.completionTokens(), u.reasoningTokens());
        return String.format(Locale.ROOT, "[%s · %s · first token %d ms · total %.2f s · %s]",
                r.model() == null ? "model not reported" : r.model(), tokens, firstTokenNanos / 1_000_000,
                totalNanos / 1e9, r.finishReason() == null ? "no finish reason" : r.finishReason().name().toLowerCase(Locale.ROOT));
    }

    private static String toJson(ChatResponse r, long firstTokenNanos, long totalNanos) {
        ObjectNode root = JSON.createObjectNode();
        root.put("content", r.content());
        root.put("reasoning", r.reasoning());
        root.put("model", r.model());
        root.put("finish_reason", r.finishReason() == null ? null : r.finishReason().name().toLowerCase(Locale.ROOT));
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
        t.put("first_token_ms", firstTokenNanos / 1_000_000.0);
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
        registry.decorators().forEach(d -> out.println("decorator " + d.id() + "  " + d.getClass().getName()
                + " (order " + d.order() + ")"));
        registry.loadFailures().forEach(f -> out.println("failed    " + f));
        return ExitCode.OK;
    }

    private int fail(int code, String message, Exception e) {
        if (debug) {
            e.printStackTrace(err);
        }
        String oneLine = message == null ? e.toString() : message.replace('\n', ' ');
        err.println("alfred-chat: " + oneLine);
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
