package dev.alfred.llm.kimi;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.http.error.ErrorKind;
import dev.alfred.llm.http.error.ErrorRules;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.openai.dialect.EmbeddingRules;
import dev.alfred.llm.openai.dialect.RequestExtras;
import dev.alfred.llm.spi.ModelTable;

import java.time.LocalDate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What Kimi does beyond the OpenAI baseline (kimi-api.md): the reasoning echoed on tool-call turns (its
 * thinking models refuse a tool loop that drops it), its error table (the Coding Plan refusal,
 * quota and suspension), {@code x-trace-id}, builtin tools as {@code builtin_function}, image files as
 * {@code ms://} URLs, its tool-name rule and 128-tool limit, and the {@link KimiOptions} it reads:
 * {@code thinking} and partial mode. Usage in {@code choices[0].usage} and {@code reasoning_content}
 * are read by every dialect.
 */
final class KimiDialect {

    /** Kimi's rule for a function name. */
    static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_-]{0,63}");
    /** The most tools Kimi accepts. */
    static final int MAX_TOOLS = 128;
    /** The message Kimi's Coding Plan endpoint is known for when it turns a client away. */
    static final String CODING_PLAN_HINT = "the Kimi Coding Plan endpoint admits only approved coding agents"
            + " (Kimi CLI, Claude Code, Roo Code…) and its terms forbid faking one: use the Open Platform"
            + " (https://api.moonshot.ai/v1) with an Open Platform key";
    static final Capabilities CAPABILITIES = Capabilities.of(Capabilities.Feature.TOOLS,
            Capabilities.Feature.PARALLEL_TOOL_CALLS, Capabilities.Feature.BUILTIN_TOOLS, Capabilities.Feature.JSON_OBJECT,
            Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.IMAGES, Capabilities.Feature.REASONING);

    /** Kimi's models' windows where the server gives none; see {@link KimiProvider#BUILT_IN_MODELS}. */
    static final ModelTable MODELS = ModelTable.builtIn(LocalDate.of(2026, 12, 8),
            new Object[]{"kimi-k3", 1_000_000, null},
            new Object[]{"kimi-k2.7-code", 262_144, null},
            new Object[]{"kimi-k2.7-code-highspeed", 262_144, null},
            new Object[]{"kimi-k2.6", 262_144, null},
            new Object[]{"kimi-k2.5", 262_144, null},
            new Object[]{"kimi-k2-0905-preview", 262_144, null},
            new Object[]{"kimi-k2-turbo-preview", 262_144, null});

    static final Dialect DIALECT = Dialect.builder("kimi")
            .defaultModel(KimiProvider.DEFAULT_MODEL)
            .requestIdHeader("x-trace-id")
            .echoReasoning(true)
            .capabilities(CAPABILITIES)
            .builtinToolType("builtin_function")
            .imageFilePrefix("ms://")
            .toolRules(TOOL_NAME, MAX_TOOLS)
            .errorRules(new Errors())
            .extras(KimiOptions.class, new Extras())
            .embeddings(EmbeddingRules.none(KimiProviderFactory.NO_EMBEDDINGS))
            .modelTable(MODELS)
            .build();

    private KimiDialect() {
    }

    /** Kimi's own reading of a 403 and a 429 (kimi-api.md §5). */
    static final class Errors implements ErrorRules {
        @Override
        public ErrorKind classify(int status, String type, String message) {
            String m = message.toLowerCase(Locale.ROOT);
            if (status == 403 && "access_terminated_error".equals(type)) {
                return m.contains("usage limit") ? ErrorKind.QUOTA_EXCEEDED : ErrorKind.AUTHENTICATION;
            }
            // the quota error comes as 429, and as 403 for an inactive account (MoonshotAI/Kimi-K2#5)
            if ((status == 429 || status == 403) && ("exceeded_current_quota_error".equals(type) || m.contains("suspended"))) {
                return ErrorKind.QUOTA_EXCEEDED;
            }
            return null;
        }

        @Override
        public String hint(int status, String type, String message) {
            boolean refused = status == 403 && "access_terminated_error".equals(type)
                    && !message.toLowerCase(Locale.ROOT).contains("usage limit");
            return refused ? CODING_PLAN_HINT : null;
        }
    }

    /** {@code thinking} and partial mode, from the request's {@link KimiOptions}. */
    static final class Extras implements RequestExtras {
        @Override
        public void validate(ChatRequest request) {
            KimiOptions o = request.options(KimiOptions.class).orElse(KimiOptions.DEFAULT);
            if (o.partial() && !(request.messages().get(request.messages().size() - 1) instanceof AssistantMessage)) {
                throw new InvalidRequestException(KimiProvider.ID + ": partial mode needs the last message to be the"
                        + " assistant's prefix to continue", KimiProvider.ID, -1, null, null);
            }
        }

        @Override
        public Map<String, Object> bodyFields(ChatRequest request) {
            KimiOptions o = request.options(KimiOptions.class).orElse(KimiOptions.DEFAULT);
            if (o.thinking() == null) {
                return Map.of();
            }
            Map<String, Object> thinking = new LinkedHashMap<>();
            thinking.put("type", o.thinking() ? "enabled" : "disabled");
            return Map.of("thinking", thinking);
        }

        @Override
        public Map<String, Object> lastMessageFields(ChatRequest request) {
            return request.options(KimiOptions.class).orElse(KimiOptions.DEFAULT).partial()
                    ? Map.of("partial", true) : Map.of();
        }
    }
}
