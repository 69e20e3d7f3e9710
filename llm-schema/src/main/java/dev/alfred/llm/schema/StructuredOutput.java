package dev.alfred.llm.schema;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.SystemMessage;
import dev.alfred.llm.spi.SecretScrubber;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An answer as a record: the request asks for the record's JSON Schema, and {@link #parse(ChatResponse)}
 * binds the answer with validation. Where a provider cannot take the schema (no JSON Schema answers, or
 * Anthropic's constrained format and a record it cannot express), the request falls back to JSON mode
 * (or plain text) with the schema in a system message, and the answer is still validated here.
 * Immutable and thread-safe.
 *
 * <p>What the answer's end says is honoured: a refusal is a {@link RefusalException}, never repaired; an
 * answer cut at its length limit (or stopped by a content filter) that does not bind is a
 * {@link StructuredOutputException} whose one violation is {@link SchemaViolation.Kind#TRUNCATED}, never
 * repaired either (the same request would be cut again: raise {@code maxTokens}). A repair round sends
 * a bounded prompt: the answer (cut to {@value #MAX_ECHO_CHARS} characters) and at most
 * {@value #MAX_LISTED_VIOLATIONS} violations in at most {@value #MAX_REPAIR_CHARS} characters.
 *
 * <pre>{@code
 * record Verdict(boolean spam, @Description("why, in one sentence") String reason) { }
 * Verdict v = StructuredOutput.of(Verdict.class).ask(llm, ChatRequest.of("Is this spam? ..."));
 * }</pre>
 *
 * @param <R> the record type
 */
public final class StructuredOutput<R extends Record> {

    /** The most violations a repair prompt lists. */
    public static final int MAX_LISTED_VIOLATIONS = 20;
    /** The most characters of violations a repair prompt holds. */
    public static final int MAX_REPAIR_CHARS = 4000;
    /** The most characters of the first answer a repair round sends back. */
    public static final int MAX_ECHO_CHARS = 8000;
    /** The most characters of one violation in a repair prompt. */
    private static final int MAX_VIOLATION_CHARS = 300;
    /** The most candidate JSON objects lenient parsing tries in one text. */
    private static final int MAX_CANDIDATES = 8;

    private final RecordSchema<R> schema;
    private final boolean repair;
    private final boolean lenient;
    private final SchemaDialect dialect;

    private StructuredOutput(RecordSchema<R> schema, boolean repair, boolean lenient, SchemaDialect dialect) {
        this.schema = schema;
        this.repair = repair;
        this.lenient = lenient;
        this.dialect = dialect;
    }

    /**
     * Structured output for a record type: no repair round, strict parsing, the provider's dialect.
     *
     * @param type the record class
     * @param <R>  the record type
     * @return the structured output
     * @throws IllegalArgumentException naming the component when a type cannot be expressed
     */
    public static <R extends Record> StructuredOutput<R> of(Class<R> type) {
        return new StructuredOutput<>(RecordSchema.of(type), false, false, null);
    }

    /**
     * Whether {@link #ask} sends the violations of an answer that does not fit back to the model once, and
     * parses its second answer. Off by default: it costs a second call. A refusal or a cut answer is never
     * repaired.
     *
     * @param repair whether to try once more
     * @return a structured output with that setting
     */
    public StructuredOutput<R> repairOnce(boolean repair) {
        return new StructuredOutput<>(schema, repair, lenient, dialect);
    }

    /**
     * Whether {@link #parse} looks for the JSON object inside prose or a Markdown code fence ("Here it is:
     * ```json {…} ```"), as models write it when no JSON mode holds them: the first fenced block or
     * balanced {@code {…}} that is JSON is bound. Off by default: an answer that is not one JSON value
     * (or one fenced block of it) is a violation, and the text around it is never silently dropped.
     *
     * @param lenient whether to extract the JSON from prose
     * @return a structured output with that setting
     */
    public StructuredOutput<R> lenient(boolean lenient) {
        return new StructuredOutput<>(schema, repair, lenient, dialect);
    }

    /**
     * The schema dialect to ask in, where the provider's id does not tell the server (an OpenAI-compatible
     * server without strict mode: {@link SchemaDialect#STANDARD}). By default
     * {@link SchemaDialect#forProvider} of the provider's id.
     *
     * @param dialect the dialect, or null for the provider's
     * @return a structured output with that setting
     */
    public StructuredOutput<R> dialect(SchemaDialect dialect) {
        return new StructuredOutput<>(schema, repair, lenient, dialect);
    }

    /**
     * The record's schema.
     *
     * @return the schema
     */
    public RecordSchema<R> schema() {
        return schema;
    }

    /**
     * The request, asking for the record: with the record's JSON Schema as its response format in the
     * dialect, strict where the dialect is not {@link SchemaDialect#STANDARD}; a record a strict dialect
     * cannot take goes in {@link SchemaDialect#STANDARD} without strict mode (Anthropic's format is always
     * constrained, so there it goes in a system message instead). Where the provider's capabilities lack
     * JSON Schema: JSON mode when it has that, and the schema in a system message after the request's own.
     *
     * @param request  the request
     * @param provider the provider it goes to
     * @return the request asking for the record
     * @throws NullPointerException if an argument is null
     */
    public ChatRequest request(ChatRequest request, LlmProvider provider) {
        Objects.requireNonNull(request, "request");
        Capabilities capabilities = provider.capabilities();
        SchemaDialect d = dialect != null ? dialect : SchemaDialect.forProvider(provider.id());
        if (capabilities.supports(Capabilities.Feature.JSON_SCHEMA)) {
            if (schema.fits(d)) {
                return request.toBuilder().responseFormat(ResponseFormat.jsonSchema(schema.name(), schema.jsonSchema(d),
                        d != SchemaDialect.STANDARD)).build();
            }
            if (d != SchemaDialect.ANTHROPIC) {
                return request.toBuilder().responseFormat(ResponseFormat.jsonSchema(schema.name(),
                        schema.jsonSchema(SchemaDialect.STANDARD), false)).build();
            }
        }
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        int at = 0;
        while (at < messages.size() && messages.get(at) instanceof SystemMessage) {
            at++;
        }
        messages.add(at, ChatMessage.system("Answer with one JSON object and nothing else. It must match this JSON"
                + " Schema:\n" + schema.jsonSchema(SchemaDialect.STANDARD).json()));
        ChatRequest instructed = request.withMessages(messages);
        return capabilities.supports(Capabilities.Feature.JSON_OBJECT)
                ? instructed.toBuilder().responseFormat(ResponseFormat.JSON_OBJECT).build() : instructed;
    }

    /**
     * Binds an answer's text to the record. A text wrapped in one Markdown code fence is taken from inside
     * it; with {@link #lenient(boolean)}, the JSON is looked for inside prose too.
     *
     * @param response the answer
     * @return the record
     * @throws RefusalException          when the model refused
     * @throws StructuredOutputException with the text and every violation, when it does not fit; with a
     *                                   single {@link SchemaViolation.Kind#TRUNCATED} violation when the
     *                                   answer was cut before its value ended
     * @throws NullPointerException      if response is null
     */
    public R parse(ChatResponse response) {
        return parse(response, null);
    }

    /** Parses an answer to a request (null when not known), which a refusal's transcript starts with. */
    private R parse(ChatResponse response, ChatRequest asked) {
        if (response.isRefusal()) {
            List<ChatMessage> transcript = new ArrayList<>(asked == null ? List.of() : asked.messages());
            transcript.add(ChatMessage.of(response));
            throw new RefusalException(response, transcript);
        }
        String text = response.content();
        try {
            return schema.parse(lenient ? extracted(text) : unfenced(text));
        } catch (StructuredOutputException e) {
            FinishReason finish = response.finishReason();
            if (finish != FinishReason.LENGTH && finish != FinishReason.CONTENT_FILTER) {
                throw e;
            }
            String why = finish == FinishReason.LENGTH ? "was cut off at its length limit" : "was stopped by the"
                    + " provider's content filter";
            StructuredOutputException cut = new StructuredOutputException(schema.type(), text, List.of(new SchemaViolation(
                    "", SchemaViolation.Kind.TRUNCATED, "the answer " + why + " before its JSON value was whole ("
                    + e.violations().get(0) + "); ask again with a higher maxTokens")));
            cut.addSuppressed(e);
            throw cut;
        }
    }

    /**
     * Asks the provider for the record: {@link #request}, the call, {@link #parse}; with a repair round,
     * an answer that does not fit is sent back once with its violations, and the second answer parsed.
     *
     * @param provider the provider
     * @param request  the request
     * @return the record
     * @throws RefusalException            when the model refused
     * @throws StructuredOutputException   when the answer (the second one, with a repair round) does not
     *                                     fit; a repair's first failure is attached as suppressed
     * @throws dev.alfred.llm.LlmException when a call fails
     */
    public R ask(LlmProvider provider, ChatRequest request) {
        ChatRequest asking = request(request, provider);
        ChatResponse answer = provider.chat(asking);
        try {
            return parse(answer, asking);
        } catch (StructuredOutputException first) {
            if (!repair || first.violations().get(0).kind() == SchemaViolation.Kind.TRUNCATED) {
                throw first;
            }
            String content = answer.content();
            ChatMessage echo = content.length() <= MAX_ECHO_CHARS ? ChatMessage.of(answer)
                    : ChatMessage.assistant(SecretScrubber.bound(content, MAX_ECHO_CHARS));
            ChatRequest again = asking.toBuilder().message(echo).message(ChatMessage.user(repairPrompt(first.violations())))
                    .build();
            try {
                return parse(provider.chat(again), again);
            } catch (StructuredOutputException e) {
                e.addSuppressed(first);
                throw e;
            }
        }
    }

    /** What a repair round tells the model: the violations, bounded. */
    static String repairPrompt(List<SchemaViolation> violations) {
        StringBuilder why = new StringBuilder("Your answer does not match the JSON Schema:");
        int listed = 0;
        for (SchemaViolation v : violations) {
            String line = SecretScrubber.bound(v.toString(), MAX_VIOLATION_CHARS);
            if (listed == MAX_LISTED_VIOLATIONS || why.length() + line.length() > MAX_REPAIR_CHARS) {
                break;
            }
            why.append("\n- ").append(line);
            listed++;
        }
        if (listed < violations.size()) {
            why.append("\n- and ").append(violations.size() - listed).append(" more like these");
        }
        return why.append("\nAnswer again with the corrected JSON object only.").toString();
    }

    /** The text inside one Markdown code fence, or the text itself. */
    static String unfenced(String text) {
        String t = text.strip();
        if (t.startsWith("```") && t.endsWith("```") && t.length() >= 6) {
            int firstLine = t.indexOf('\n');
            if (firstLine > 0 && firstLine < t.length() - 3) {
                return t.substring(firstLine + 1, t.length() - 3).strip();
            }
        }
        return t;
    }

    /**
     * The JSON object inside prose: the text itself when it is one (or one fenced block), else the first
     * fenced block, then the first balanced {@code {…}}, that is JSON; the text itself when none is.
     */
    static String extracted(String text) {
        String whole = unfenced(text);
        if (isJson(whole)) {
            return whole;
        }
        int tried = 0;
        for (int fence = text.indexOf("```"); fence >= 0 && tried < MAX_CANDIDATES; tried++) {
            int start = text.indexOf('\n', fence);
            int end = start < 0 ? -1 : text.indexOf("```", start);
            if (end < 0) {
                break;
            }
            String block = text.substring(start + 1, end).strip();
            if (isJson(block)) {
                return block;
            }
            fence = text.indexOf("```", end + 3);
        }
        for (int open = text.indexOf('{'); open >= 0 && tried < MAX_CANDIDATES; tried++) {
            int close = balanced(text, open);
            if (close < 0) {
                break;
            }
            String candidate = text.substring(open, close + 1);
            if (isJson(candidate)) {
                return candidate;
            }
            open = text.indexOf('{', open + 1);
        }
        return whole;
    }

    private static boolean isJson(String candidate) {
        return !candidate.isEmpty() && candidate.charAt(0) == '{' && JsonTree.read(candidate, new ArrayList<>()) != null;
    }

    /** The index of the brace that closes the one at {@code open}, skipping strings; -1 when none does. */
    private static int balanced(String text, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "StructuredOutput{" + schema.type().getName() + (repair ? ", repair once" : "") + (lenient ? ", lenient"
                : "") + (dialect != null ? ", " + dialect : "") + "}";
    }
}
