package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.json.JsonFactory;

import java.io.StringWriter;

/**
 * Decodes the OpenAI-compatible chat-completions JSON (stream chunks and whole responses) with
 * jackson-core's streaming parser: one pass, no tree, unknown fields skipped.
 *
 * <p>Only choice 0 counts: a choice whose {@code index} is another number is skipped, a choice without
 * an {@code index} counts only if it is the first object in the array, and an entry that is not an
 * object is skipped. Usage may sit top-level or in {@code choices[0].usage}; the top-level one wins.
 * Cached tokens are read top-level first, then from {@code prompt_tokens_details}. Usage is
 * best-effort, since a complete answer must never be lost over its accounting: a fractional count is
 * rounded down, and a count that is not a number or is beyond {@code long} is dropped (logged at
 * DEBUG). Thread-safe.
 */
public final class ChunkDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkDecoder.class);

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** The provider-state key of OpenRouter's {@code reasoning_details}, kept verbatim (a JSON array). */
    public static final String REASONING_DETAILS_KEY = "reasoning_details";
    /** The provider-state key prefix, before a call id, of a tool call's {@code extra_content} (Gemini's thought signature). */
    public static final String EXTRA_CONTENT_KEY = "extra_content:";

    /**
     * Decodes one JSON object.
     *
     * @param json   the bytes
     * @param offset where the object starts
     * @param length its length
     * @return what it carries
     * @throws MalformedChunkException if the bytes are not a JSON object of the expected shape
     */
    public Chunk decode(byte[] json, int offset, int length) {
        Chunk chunk = new Chunk();
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedChunkException("not a JSON object");
            }
            readObject(p, chunk, true, true);
            if (p.nextToken() != null) {
                throw new MalformedChunkException("trailing data after the JSON object");
            }
            return chunk;
        } catch (JacksonException e) {
            throw new MalformedChunkException(e.getOriginalMessage());
        }
    }

    /**
     * A decoder for the events of one stream: one non-blocking parser fed each event's bytes, so no
     * parser is built per event, and one {@link Chunk} reused. Not thread-safe; one per stream.
     *
     * @return the decoder
     */
    public static Streaming streaming() {
        return new Streaming();
    }

    /** Decodes the events of one stream; see {@link #streaming()}. */
    public static final class Streaming {
        private final JsonParser parser = JSON.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        private final ByteArrayFeeder feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
        private final Chunk chunk = new Chunk();
        private boolean modelKnown;
        private boolean idKnown;

        private Streaming() {
        }

        /**
         * Decodes one event's data. The returned chunk is reused by the next call. After a
         * {@link MalformedChunkException} the decoder is spent.
         *
         * @param data   the bytes
         * @param length how many are valid
         * @return what the event carries; the model only until it was once seen
         * @throws MalformedChunkException if the bytes are not one whole JSON object of the expected shape
         */
        public Chunk decode(byte[] data, int length) {
            chunk.clear();
            try {
                feeder.feedInput(data, 0, length);
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new MalformedChunkException("not a JSON object");
                }
                readObject(parser, chunk, !modelKnown, !idKnown);
                if (parser.currentToken() != JsonToken.END_OBJECT || !parser.streamReadContext().inRoot()) {
                    throw new MalformedChunkException("incomplete JSON object");
                }
                if (parser.nextToken() != JsonToken.NOT_AVAILABLE) {
                    throw new MalformedChunkException("trailing data after the JSON object");
                }
                // Azure's first chunk names an empty id and model: not yet known.
                modelKnown |= chunk.model != null && !chunk.model.isEmpty();
                idKnown |= chunk.id != null && !chunk.id.isEmpty();
                return chunk;
            } catch (JacksonException e) {
                throw new MalformedChunkException(e.getOriginalMessage());
            }
        }
    }

    /** Reads an object whose START_OBJECT was just read, up to and including its END_OBJECT. */
    private static void readObject(JsonParser p, Chunk chunk, boolean wantModel, boolean wantId) {
        Usage choiceUsage = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "model":
                    if (wantModel) {
                        chunk.model = text(p, t);
                    }
                    break;
                case "id":
                    if (wantId) {
                        chunk.id = scalar(p, t);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "usage":
                    if (t == JsonToken.START_OBJECT) {
                        chunk.usage = usage(p);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "choices":
                    if (t == JsonToken.START_ARRAY) {
                        choiceUsage = choices(p, chunk);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "error":
                    if (t == JsonToken.START_OBJECT) {
                        error(p, chunk);
                    } else if (t != JsonToken.VALUE_NULL) {
                        chunk.error = true;
                        chunk.errorMessage = t.isScalarValue() ? p.getString() : null;
                        p.skipChildren();
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (chunk.usage == null) {
            chunk.usage = choiceUsage;
        }
    }

    private static Usage choices(JsonParser p, Chunk chunk) {
        Usage usage = null;
        boolean counted = false;
        boolean firstObject = true;
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null || token == JsonToken.NOT_AVAILABLE) {
                throw new MalformedChunkException("incomplete choices array");
            }
            if (counted || token != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            // Read into the chunk, then take it back if the choice turns out not to be choice 0: the
            // index may come after the delta, and keeping the fields in place costs no allocation.
            String content = chunk.content;
            String reasoning = chunk.reasoning;
            String reasoningDetails = chunk.reasoningDetails;
            String finishReason = chunk.finishReason;
            int toolCount = chunk.toolCount;
            Usage choiceUsage = null;
            long index = -1;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "index":
                        if (t == JsonToken.VALUE_NUMBER_INT) {
                            index = indexValue(p);
                        } else {
                            index = -2;
                            p.skipChildren();
                        }
                        break;
                    case "delta":
                    case "message":
                        if (t == JsonToken.START_OBJECT) {
                            message(p, chunk);
                        } else {
                            p.skipChildren();
                        }
                        break;
                    case "finish_reason":
                        chunk.finishReason = text(p, t);
                        break;
                    case "usage":
                        if (t == JsonToken.START_OBJECT) {
                            choiceUsage = usage(p);
                        } else {
                            p.skipChildren();
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (index == 0 || (index == -1 && firstObject)) {
                counted = true;
                usage = choiceUsage;
            } else {
                chunk.content = content;
                chunk.reasoning = reasoning;
                chunk.reasoningDetails = reasoningDetails;
                chunk.finishReason = finishReason;
                chunk.toolCount = toolCount;
            }
            firstObject = false;
        }
        return usage;
    }

    private static long indexValue(JsonParser p) {
        try {
            return p.getLongValue();
        } catch (InputCoercionException tooLarge) {
            return -2;
        }
    }

    private static void message(JsonParser p, Chunk chunk) {
        String reasoningContent = null;
        String reasoning = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "content":
                    if (t == JsonToken.START_ARRAY) {
                        contentParts(p, chunk);
                    } else {
                        chunk.content = text(p, t);
                    }
                    break;
                case "reasoning_content":
                    reasoningContent = text(p, t);
                    break;
                case "reasoning":
                    reasoning = t == JsonToken.VALUE_STRING ? p.getString() : skip(p);
                    break;
                case "reasoning_details":
                    if (t == JsonToken.START_ARRAY) {
                        chunk.reasoningDetails = append(chunk.reasoningDetails, entries(p));
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "tool_calls":
                    if (t == JsonToken.START_ARRAY) {
                        toolCalls(p, chunk);
                    } else {
                        p.skipChildren();
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
        // reasoning_content (Kimi, DeepSeek, llama.cpp) ?? reasoning (vLLM, Ollama, OpenRouter, Groq)
        String r = reasoningContent != null ? reasoningContent : reasoning;
        if (r != null) {
            chunk.reasoning = chunk.reasoning == null ? r : chunk.reasoning + r;
        }
    }

    /** Mistral's Magistral: content as typed parts, {@code text} and {@code thinking} (itself a list of text parts). */
    private static void contentParts(JsonParser p, Chunk chunk) {
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null || token == JsonToken.NOT_AVAILABLE) {
                throw new MalformedChunkException("incomplete content array");
            }
            if (token == JsonToken.VALUE_STRING) {
                chunk.content = chunk.content == null ? p.getString() : chunk.content + p.getString();
                continue;
            }
            if (token != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String text = null;
            StringBuilder thinking = null;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if ("text".equals(name) && t == JsonToken.VALUE_STRING) {
                    text = p.getString();
                } else if ("thinking".equals(name) && t == JsonToken.START_ARRAY) {
                    thinking = new StringBuilder();
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (e == JsonToken.START_OBJECT) {
                            String n;
                            while ((n = p.nextName()) != null) {
                                JsonToken v = p.nextToken();
                                if ("text".equals(n) && v == JsonToken.VALUE_STRING) {
                                    thinking.append(p.getString());
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else if (e == null || e == JsonToken.NOT_AVAILABLE) {
                            throw new MalformedChunkException("incomplete thinking array");
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (thinking != null) {
                chunk.reasoning = chunk.reasoning == null ? thinking.toString() : chunk.reasoning + thinking;
            } else if (text != null) {
                chunk.content = chunk.content == null ? text : chunk.content + text;
            }
        }
    }

    /** The entries of an array whose START_ARRAY was just read, as JSON text joined with commas. */
    private static String entries(JsonParser p) {
        StringWriter out = new StringWriter();
        boolean first = true;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null || t == JsonToken.NOT_AVAILABLE) {
                throw new MalformedChunkException("incomplete array");
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
                g.copyCurrentStructure(p);
            }
        }
        return out.toString();
    }

    private static String append(String list, String entries) {
        if (entries.isEmpty()) {
            return list;
        }
        return list == null || list.isEmpty() ? entries : list + "," + entries;
    }

    private static String skip(JsonParser p) {
        p.skipChildren();
        return null;
    }

    private static void toolCalls(JsonParser p, Chunk chunk) {
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null || token == JsonToken.NOT_AVAILABLE) {
                throw new MalformedChunkException("incomplete tool_calls array");
            }
            if (token != JsonToken.START_OBJECT) {
                throw new MalformedChunkException("a tool_calls entry is not an object");
            }
            Chunk.ToolFragment f = chunk.nextTool();
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "index":
                        f.index = t == JsonToken.VALUE_NUMBER_INT ? Math.max(Chunk.ToolFragment.NO_INDEX, indexValue(p))
                                : Chunk.ToolFragment.NO_INDEX;
                        if (t != JsonToken.VALUE_NUMBER_INT) {
                            p.skipChildren();
                        }
                        break;
                    case "id":
                        f.id = scalar(p, t);
                        break;
                    case "function":
                        if (t == JsonToken.START_OBJECT) {
                            function(p, f);
                        } else {
                            p.skipChildren();
                        }
                        break;
                    case "extra_content":
                        f.extraContent = t == JsonToken.START_OBJECT ? rawObject(p) : skip(p);
                        break;
                    default:
                        p.skipChildren();
                }
            }
        }
    }

    private static void function(JsonParser p, Chunk.ToolFragment f) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if ("name".equals(name)) {
                f.name = text(p, t);
            } else if ("arguments".equals(name)) {
                f.arguments = t == JsonToken.START_OBJECT ? rawObject(p) : text(p, t);
            } else {
                p.skipChildren();
            }
        }
    }

    /** Arguments some servers send as an object rather than a string: written back as JSON text. */
    private static String rawObject(JsonParser p) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    private static void error(JsonParser p, Chunk chunk) {
        chunk.error = true;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "message":
                    chunk.errorMessage = scalar(p, t);
                    break;
                case "type":
                    chunk.errorType = scalar(p, t);
                    break;
                case "code":
                    chunk.errorCode = scalar(p, t);
                    break;
                default:
                    p.skipChildren();
            }
        }
    }

    private static Usage usage(JsonParser p) {
        long prompt = 0;
        long completion = 0;
        long total = -1;
        long cachedTop = -1;
        long cachedNested = -1;
        long reasoning = 0;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "prompt_tokens":
                    prompt = Math.max(0, count(p, t));
                    break;
                case "completion_tokens":
                    completion = Math.max(0, count(p, t));
                    break;
                case "total_tokens":
                    total = count(p, t);
                    break;
                case "cached_tokens":
                case "prompt_cache_hit_tokens":
                    cachedTop = t == JsonToken.VALUE_NULL ? -1 : count(p, t);
                    break;
                case "prompt_tokens_details":
                    if (t == JsonToken.START_OBJECT) {
                        long v = nested(p, "cached_tokens");
                        cachedNested = v;
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "completion_tokens_details":
                    if (t == JsonToken.START_OBJECT) {
                        reasoning = Math.max(0, nested(p, "reasoning_tokens"));
                    } else {
                        p.skipChildren();
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
        long cached = cachedTop >= 0 ? cachedTop : Math.max(0, cachedNested);
        if (total < 0) {
            total = prompt + completion < 0 ? Long.MAX_VALUE : prompt + completion; // saturate, never negative
        }
        // Reported by clients of K3: reasoning counted above completion. Never report more than generated.
        return new Usage(prompt, completion, total, Math.min(cached, prompt), 0, Math.min(reasoning, completion));
    }

    private static long nested(JsonParser p, String field) {
        long value = -1;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if (field.equals(name)) {
                value = t == JsonToken.VALUE_NULL ? -1 : count(p, t);
            } else {
                p.skipChildren();
            }
        }
        return value;
    }

    /** A token count: never negative; 0 when null; -1 (dropped) when not a usable number. */
    private static long count(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            try {
                return Math.max(0, p.getLongValue());
            } catch (InputCoercionException beyondLong) {
                return dropped(p, "beyond the range of long");
            }
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double v = p.getDoubleValue();
            if (Double.isFinite(v)) {
                return v <= 0 ? 0 : (long) v; // saturates at Long.MAX_VALUE
            }
            return dropped(p, "not finite");
        }
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        }
        p.skipChildren();
        return dropped(p, "not a number");
    }

    private static long dropped(JsonParser p, String why) {
        LOG.debug("usage count '{}' dropped: {}", p.currentName(), why);
        return -1;
    }

    private static String text(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new MalformedChunkException("'" + p.currentName() + "' is not a string");
    }

    private static String scalar(JsonParser p, JsonToken t) {
        if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }
}
