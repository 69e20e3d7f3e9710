package dev.alfred.llm.schema;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.SystemMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An answer as a record: the request asks for the record's JSON Schema, and {@link #parse(ChatResponse)}
 * binds the answer with validation. Where a provider cannot take a JSON Schema, the request falls back to
 * JSON mode (or plain text) with the schema in a system message, and the answer is still validated here.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * record Verdict(boolean spam, @Description("why, in one sentence") String reason) { }
 * Verdict v = StructuredOutput.of(Verdict.class).ask(llm, ChatRequest.of("Is this spam? ..."));
 * }</pre>
 *
 * @param <R> the record type
 */
public final class StructuredOutput<R extends Record> {

    private final RecordSchema<R> schema;
    private final boolean repair;

    private StructuredOutput(RecordSchema<R> schema, boolean repair) {
        this.schema = schema;
        this.repair = repair;
    }

    /**
     * Structured output for a record type, with no repair round.
     *
     * @param type the record class
     * @param <R>  the record type
     * @return the structured output
     * @throws IllegalArgumentException naming the component when a type cannot be expressed
     */
    public static <R extends Record> StructuredOutput<R> of(Class<R> type) {
        return new StructuredOutput<>(RecordSchema.of(type), false);
    }

    /**
     * Whether {@link #ask} sends the violations of an answer that does not fit back to the model once, and
     * parses its second answer. Off by default: it costs a second call.
     *
     * @param repair whether to try once more
     * @return a structured output with that setting
     */
    public StructuredOutput<R> repairOnce(boolean repair) {
        return new StructuredOutput<>(schema, repair);
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
     * The request, asking for the record: with the record's JSON Schema as its response format, in the
     * provider's dialect ({@link SchemaDialect#forProvider}), strict where the dialect is; or, where the
     * provider's capabilities lack JSON Schema, JSON mode when it has that, and the schema in a system
     * message after the request's own.
     *
     * @param request  the request
     * @param provider the provider it goes to
     * @return the request asking for the record
     * @throws IllegalArgumentException when the provider's dialect cannot express a component's type
     */
    public ChatRequest request(ChatRequest request, LlmProvider provider) {
        Objects.requireNonNull(request, "request");
        Capabilities capabilities = provider.capabilities();
        if (capabilities.supports(Capabilities.Feature.JSON_SCHEMA)) {
            SchemaDialect dialect = SchemaDialect.forProvider(provider.id());
            return request.toBuilder().responseFormat(ResponseFormat.jsonSchema(schema.name(),
                    schema.jsonSchema(dialect), dialect != SchemaDialect.STANDARD)).build();
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
     * Binds an answer's text to the record. A text wrapped in one Markdown code fence (as models write
     * JSON when no JSON mode holds them) is taken from inside it.
     *
     * @param response the answer
     * @return the record
     * @throws StructuredOutputException with the text and every violation, when it does not fit
     */
    public R parse(ChatResponse response) {
        return schema.parse(unfenced(response.content()));
    }

    /**
     * Asks the provider for the record: {@link #request}, the call, {@link #parse}; with a repair round,
     * an answer that does not fit is sent back once with its violations, and the second answer parsed.
     *
     * @param provider the provider
     * @param request  the request
     * @return the record
     * @throws StructuredOutputException when the answer (the second one, with a repair round) does not
     *                                   fit; a repair's first failure is attached as suppressed
     * @throws dev.alfred.llm.LlmException when a call fails
     */
    public R ask(LlmProvider provider, ChatRequest request) {
        ChatRequest asking = request(request, provider);
        ChatResponse answer = provider.chat(asking);
        try {
            return parse(answer);
        } catch (StructuredOutputException first) {
            if (!repair) {
                throw first;
            }
            StringBuilder why = new StringBuilder("Your answer does not match the JSON Schema:");
            first.violations().forEach(v -> why.append("\n- ").append(v));
            why.append("\nAnswer again with the corrected JSON object only.");
            ChatRequest again = asking.toBuilder().message(ChatMessage.of(answer)).message(ChatMessage.user(why.toString()))
                    .build();
            try {
                return parse(provider.chat(again));
            } catch (StructuredOutputException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
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

    @Override
    public String toString() {
        return "StructuredOutput{" + schema.type().getName() + (repair ? ", repair once" : "") + "}";
    }
}
