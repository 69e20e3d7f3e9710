package dev.alfred.llm.openai.internal.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.SystemMessage;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.TokenCounter;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.UserMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts an OpenAI chat request's input tokens locally, with the model's tiktoken encoding run by jtokkit
 * and the framing OpenAI's cookbook documents ("How to count tokens with tiktoken"): 3 tokens per message
 * plus its role and content (and a tool message's id and name, as sent), 3 to prime the answer; tools by
 * the cookbook's formula (per function 7, or 10 for the cl100k models, plus {@code name:description}; per
 * property 3 plus {@code name:type:description}, 3 more to open the properties; enum values 3 each, less 3;
 * 12 to close); an image by the high-detail tile rule (85 plus 170 per 512-pixel tile of the image fitted
 * within 2048 and its short side scaled to 768; 765, a square image's count, when its size is unknown).
 * Assistant tool calls are counted as their name and arguments plus 3 each (the cookbook says nothing).
 * Models whose encoding tiktoken does not name for OpenAI get {@link TokenCounter#estimate()}. Thread-safe.
 */
public final class TiktokenCounter implements TokenCounter {

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int PER_MESSAGE = 3;
    private static final int REPLY_PRIMING = 3;
    private static final int PER_TOOL_CALL = 3;
    private static final int IMAGE_BASE = 85;
    private static final int IMAGE_TILE = 170;
    private static final int UNKNOWN_IMAGE = IMAGE_BASE + 4 * IMAGE_TILE;

    private final String defaultModel;

    /**
     * A counter for requests that name no model of their own.
     *
     * @param defaultModel the provider's model
     */
    public TiktokenCounter(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    /**
     * The tiktoken encoding of an OpenAI model, as tiktoken's {@code model.py} maps it: {@code o200k_base} for
     * gpt-5*, gpt-4.5*, gpt-4.1*, gpt-4o*, chatgpt-4o*, o1, o3 and o4-mini; {@code cl100k_base} for gpt-4,
     * gpt-4-turbo, gpt-3.5-turbo (Azure's gpt-35-turbo) and the text-embedding models.
     *
     * @param model the model id
     * @return the encoding, or null for a model tiktoken does not map (gpt-oss, another vendor's)
     */
    public static EncodingType encodingOf(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        if (m.startsWith("ft:")) { // a fine-tune, ft:<base model>:<org>::<id>
            int colon = m.indexOf(':', 3);
            m = m.substring(3, colon < 0 ? m.length() : colon);
        }
        if (m.startsWith("gpt-5") || m.startsWith("gpt-4.5") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4o")
                || m.startsWith("chatgpt-4o") || is(m, "o1") || is(m, "o3") || is(m, "o4-mini")) {
            return EncodingType.O200K_BASE;
        }
        if (is(m, "gpt-4") || is(m, "gpt-3.5-turbo") || is(m, "gpt-35-turbo") || m.equals("gpt-3.5")
                || m.startsWith("text-embedding-")) {
            return EncodingType.CL100K_BASE;
        }
        return null;
    }

    /** The model itself or a dated or sized variant of it ({@code o3-mini}, {@code gpt-4-0613}). */
    private static boolean is(String model, String family) {
        return model.equals(family) || model.startsWith(family + "-");
    }

    @Override
    public TokenCount count(ChatRequest request) {
        String model = request.model() != null ? request.model() : defaultModel;
        EncodingType type = model == null ? null : encodingOf(model);
        if (type == null) {
            return TokenCounter.estimate().count(request);
        }
        Encoding enc = REGISTRY.getEncoding(type);
        long tokens = REPLY_PRIMING;
        for (ChatMessage m : request.messages()) {
            tokens += PER_MESSAGE + enc.countTokensOrdinary(m.role().name().toLowerCase(Locale.ROOT)) + message(enc, m);
        }
        tokens += tools(enc, request.tools(), type == EncodingType.O200K_BASE ? 7 : 10);
        return new TokenCount(tokens, TokenCount.Kind.TOKENIZER, "tiktoken " + enc.getName()
                + " (jtokkit) with OpenAI's cookbook framing");
    }

    private static long message(Encoding enc, ChatMessage message) {
        if (message instanceof SystemMessage) {
            return text(enc, ((SystemMessage) message).content());
        }
        if (message instanceof UserMessage) {
            long n = 0;
            for (ContentPart part : ((UserMessage) message).parts()) {
                n += part instanceof ContentPart.Text ? text(enc, ((ContentPart.Text) part).text()) : image(part);
            }
            return n;
        }
        if (message instanceof AssistantMessage) {
            AssistantMessage a = (AssistantMessage) message;
            long n = text(enc, a.content());
            for (ToolCall call : a.toolCalls()) {
                n += PER_TOOL_CALL + text(enc, call.name()) + text(enc, call.arguments());
            }
            return n;
        }
        ToolMessage t = (ToolMessage) message;
        // sent as role, tool_call_id, name and content: the cookbook counts every value, and 1 for a name
        return text(enc, t.toolCallId()) + text(enc, t.content()) + text(enc, t.toolName()) + 1;
    }

    private static long text(Encoding enc, String s) {
        return s == null || s.isEmpty() ? 0 : enc.countTokensOrdinary(s);
    }

    /** The high-detail rule for an image of known size, else a square image's count. */
    static long image(ContentPart part) {
        int[] size = part instanceof ContentPart.ImageBytes ? ImageSize.of(((ContentPart.ImageBytes) part).data()) : null;
        if (size == null) {
            return UNKNOWN_IMAGE;
        }
        return tiles(size[0], size[1]);
    }

    /**
     * The tokens of an image under OpenAI's high-detail rule: fit within 2048×2048, scale the short side to
     * 768, then 170 per 512-pixel tile plus 85.
     *
     * @param width  the width in pixels
     * @param height the height in pixels
     * @return the tokens
     */
    static long tiles(int width, int height) {
        double w = width;
        double h = height;
        double fit = Math.min(1.0, 2048.0 / Math.max(w, h));
        w *= fit;
        h *= fit;
        double shortSide = Math.min(w, h);
        if (shortSide > 768) {
            double s = 768.0 / shortSide;
            w *= s;
            h *= s;
        }
        long tiles = (long) Math.ceil(w / 512) * (long) Math.ceil(h / 512);
        return IMAGE_BASE + IMAGE_TILE * tiles;
    }

    private static long tools(Encoding enc, List<ToolDefinition> tools, int funcInit) {
        if (tools.isEmpty()) {
            return 0;
        }
        long n = 12; // func_end
        for (ToolDefinition tool : tools) {
            n += funcInit + enc.countTokensOrdinary(tool.name() + ":" + withoutPeriod(tool.description()));
            List<String[]> properties = tool.parameters() == null ? List.of() : properties(tool.parameters().json());
            if (!properties.isEmpty()) {
                n += 3; // prop_init
                for (String[] p : properties) {
                    n += 3 + enc.countTokensOrdinary(p[0] + ":" + p[1] + ":" + withoutPeriod(p[2]));
                    if (p.length > 3) {
                        n -= 3; // enum_init
                        for (int i = 3; i < p.length; i++) {
                            n += 3 + enc.countTokensOrdinary(p[i]);
                        }
                    }
                }
            }
        }
        return n;
    }

    private static String withoutPeriod(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The top-level properties of a JSON schema, each as {name, type, description, enum values...}.
     *
     * @param schema the schema's JSON
     * @return the properties, in order; empty when there are none or the schema is not JSON
     */
    static List<String[]> properties(String schema) {
        List<String[]> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), schema)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            String name;
            while ((name = p.nextName()) != null) {
                if (p.nextToken() == JsonToken.START_OBJECT && name.equals("properties")) {
                    String key;
                    while ((key = p.nextName()) != null) {
                        out.add(property(p, key));
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JacksonException notJson) {
            return List.of();
        }
        return out;
    }

    private static String[] property(JsonParser p, String key) {
        List<String> values = new ArrayList<>(List.of(key, "", ""));
        if (p.nextToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return values.toArray(new String[0]);
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_STRING && name.equals("type")) {
                values.set(1, p.getString());
            } else if (t == JsonToken.VALUE_STRING && name.equals("description")) {
                values.set(2, p.getString());
            } else if (t == JsonToken.START_ARRAY && name.equals("enum")) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values.add(p.getString());
                    p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
        return values.toArray(new String[0]);
    }
}
