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
 * jackson-core's streaming parser: one pass, no tree. Nothing is dropped: a field it does not model
 * (and whose value is not null) is kept as raw JSON under its path ({@code system_fingerprint},
 * {@code choices[0].logprobs}, {@code usage.cost} ...), for the response's provider fields; only the
 * fields that carry nothing an answer needs are let go: {@code object}, {@code created}, a message's
 * {@code role}, a tool call's {@code type}, and OpenAI's {@code obfuscation} padding.
 *
 * <p>Choice 0 is the answer: a choice whose {@code index} is another number is kept whole as raw JSON,
 * a choice without an {@code index} counts only if it is the first object in the array. Usage may sit
 * top-level, in {@code choices[0].usage} (Kimi) or in {@code x_groq.usage} (Groq); the top-level one wins,
 * and the same usage sent twice counts once. Cached tokens are read top-level first, then from
 * {@code prompt_tokens_details}. Counts are reported as sent, never clamped; usage is best-effort, since a
 * complete answer must never be lost over its accounting: a fractional count is rounded down, and a
 * count that is not a number or is beyond {@code long} is dropped (logged at DEBUG). Thread-safe.
 */
public final class ChunkDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkDecoder.class);

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final String CHOICE = "choices[0].";
    private static final String DELTA = "choices[0].delta.";
    private static final String MESSAGE = "choices[0].message.";

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
        Usage groqUsage = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "model":
                    if (wantModel) {
                        chunk.model = text(p, t);
                    } else {
                        p.skipChildren();
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
                        chunk.usage = usage(p, chunk, "usage.");
                    } else {
                        keep(p, t, chunk, "usage");
                    }
                    break;
                case "choices":
                    if (t == JsonToken.START_ARRAY) {
                        choiceUsage = choices(p, chunk);
                    } else {
                        keep(p, t, chunk, "choices");
                    }
                    break;
                case "x_groq":
                    if (t == JsonToken.START_OBJECT) {
                        groqUsage = groq(p, chunk);
                    } else {
                        keep(p, t, chunk, "x_groq");
                    }
                    break;
                case "object":
                case "created":
                case "obfuscation":
                    p.skipChildren(); // nothing an answer needs: the kind of object, a timestamp, padding
                    break;
                case "error":
                    if (t == JsonToken.START_OBJECT) {
                        error(p, chunk);
                    } else if (t != JsonToken.VALUE_NULL && t != JsonToken.VALUE_FALSE) {
                        // null and false say "no error", as ErrorBody reads a body's error
                        chunk.error = true;
                        chunk.errorMessage = t.isScalarValue() ? p.getString() : null;
                        p.skipChildren();
                    }
                    break;
                default:
                    keep(p, t, chunk, name);
            }
        }
        if (chunk.usage == null) {
            chunk.usage = choiceUsage != null ? choiceUsage : groqUsage;
        }
    }

    /** Groq's {@code x_groq}: its usage read, the rest kept. */
    private static Usage groq(JsonParser p, Chunk chunk) {
        Usage usage = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if ("usage".equals(name) && t == JsonToken.START_OBJECT) {
                usage = usage(p, chunk, "x_groq.usage.");
            } else {
                keep(p, t, chunk, "x_groq." + name);
            }
        }
        return usage;
    }

    /**
     * Keeps a field nobody models as raw JSON under its path; a null carries nothing and is let go. A
     * string a stream repeats in every chunk ({@code system_fingerprint}, a provider's tag) is written
     * as JSON once and then recognised from the parser's characters, so a kept field costs a stream
     * nothing per chunk.
     */
    private static void keep(JsonParser p, JsonToken t, Chunk chunk, String path) {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t == JsonToken.VALUE_STRING) {
            String json = chunk.keptString(p.getStringCharacters(), p.getStringOffset(), p.getStringLength());
            if (json == null) {
                String text = p.getString();
                json = raw(p);
                chunk.rememberKeptString(text, json);
            }
            chunk.addExtra(path, json);
            return;
        }
        chunk.addExtra(path, raw(p));
    }

    /** The current value (scalar or structure) as JSON text. */
    private static String raw(JsonParser p) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    private static Usage choices(JsonParser p, Chunk chunk) {
        Usage usage = null;
        boolean counted = false;
        boolean firstObject = true;
        int position = 0;
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null || token == JsonToken.NOT_AVAILABLE) {
                throw new MalformedChunkException("incomplete choices array");
            }
            if (counted || token != JsonToken.START_OBJECT) {
                keep(p, token, chunk, "choices[" + position++ + "]"); // another choice: the answer is choice 0
                continue;
            }
            // Read into the chunk, then take it back if the choice turns out not to be choice 0: the
            // index may come after the delta, and keeping the fields in place costs no allocation.
            String content = chunk.content;
            String reasoning = chunk.reasoning;
            String refusal = chunk.refusal;
            String reasoningDetails = chunk.reasoningDetails;
            String finishReason = chunk.finishReason;
            int toolCount = chunk.toolCount;
            int annotationCount = chunk.annotationCount;
            int extraCount = chunk.extraCount;
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
                            message(p, chunk, name.equals("delta") ? DELTA : MESSAGE);
                        } else {
                            keep(p, t, chunk, CHOICE + name);
                        }
                        break;
                    case "finish_reason":
                        chunk.finishReason = text(p, t);
                        break;
                    case "usage":
                        if (t == JsonToken.START_OBJECT) {
                            choiceUsage = usage(p, chunk, CHOICE + "usage.");
                        } else {
                            keep(p, t, chunk, CHOICE + "usage");
                        }
                        break;
                    default:
                        keep(p, t, chunk, CHOICE + name);
                }
            }
            if (index == 0 || (index == -1 && firstObject)) {
                counted = true;
                usage = choiceUsage;
            } else {
                chunk.content = content;
                chunk.reasoning = reasoning;
                chunk.refusal = refusal;
                chunk.reasoningDetails = reasoningDetails;
                chunk.finishReason = finishReason;
                chunk.toolCount = toolCount;
                chunk.annotationCount = annotationCount;
                chunk.extraCount = extraCount;
                chunk.addExtra("choices[" + position + "]", "\"a choice other than the first, not kept\"");
            }
            position++;
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

    private static void message(JsonParser p, Chunk chunk, String path) {
        String reasoningContent = null;
        String reasoning = null;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "role":
                    p.skipChildren(); // always the assistant's
                    break;
                case "refusal":
                    chunk.refusal = text(p, t);
                    break;
                case "annotations":
                    if (t == JsonToken.START_ARRAY) {
                        annotations(p, chunk);
                    } else {
                        keep(p, t, chunk, path + name);
                    }
                    break;
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
                    if (t == JsonToken.VALUE_STRING) {
                        reasoning = p.getString();
                    } else {
                        keep(p, t, chunk, path + name);
                    }
                    break;
                case "reasoning_details":
                    if (t == JsonToken.START_ARRAY) {
                        chunk.reasoningDetails = append(chunk.reasoningDetails, entries(p));
                    } else {
                        keep(p, t, chunk, path + name);
                    }
                    break;
                case "tool_calls":
                    if (t == JsonToken.START_ARRAY) {
                        toolCalls(p, chunk, path);
                    } else {
                        keep(p, t, chunk, path + name);
                    }
                    break;
                default:
                    keep(p, t, chunk, path + name);
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

    /** Choice 0's annotations: each entry typed where it is a {@code url_citation}, and kept whole as sent. */
    private static void annotations(JsonParser p, Chunk chunk) {
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null || token == JsonToken.NOT_AVAILABLE) {
                throw new MalformedChunkException("incomplete annotations array");
            }
            String json = raw(p);
            chunk.addAnnotation(annotation(json));
        }
    }

    /** Reads the common parts of one annotation from its JSON text. */
    private static Chunk.Annotation annotation(String json) {
        String type = null;
        String url = null;
        String title = null;
        String content = null;
        int start = -1;
        int end = -1;
        try (JsonParser a = JSON.createParser(ObjectReadContext.empty(), json)) {
            if (a.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedChunkException("an annotation is not an object");
            }
            String name;
            while ((name = a.nextName()) != null) {
                JsonToken t = a.nextToken();
                if ("type".equals(name) && t == JsonToken.VALUE_STRING) {
                    type = a.getString();
                } else if (t == JsonToken.START_OBJECT) {
                    String n;
                    while ((n = a.nextName()) != null) {
                        JsonToken v = a.nextToken();
                        switch (n) {
                            case "url" -> url = v == JsonToken.VALUE_STRING ? a.getString() : skip(a);
                            case "title" -> title = v == JsonToken.VALUE_STRING ? a.getString() : skip(a);
                            case "content" -> content = v == JsonToken.VALUE_STRING ? a.getString() : skip(a);
                            case "start_index" -> start = v == JsonToken.VALUE_NUMBER_INT ? a.getIntValue() : -1;
                            case "end_index" -> end = v == JsonToken.VALUE_NUMBER_INT ? a.getIntValue() : -1;
                            default -> a.skipChildren();
                        }
                    }
                } else {
                    a.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new MalformedChunkException("an annotation is not readable: " + e.getOriginalMessage());
        }
        return new Chunk.Annotation(type == null ? "annotation" : type, url, title, content, start, end, json);
    }

    private static void toolCalls(JsonParser p, Chunk chunk, String path) {
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
                    case "function":
                        if (t == JsonToken.START_OBJECT) {
                            function(p, f, chunk, path);
                        } else {
                            keep(p, t, chunk, path + "tool_calls[].function");
                        }
                        break;
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
                    case "extra_content":
                        f.extraContent = t == JsonToken.START_OBJECT ? rawObject(p) : skip(p);
                        break;
                    case "type":
                        p.skipChildren(); // "function"; a builtin call says so by its name
                        break;
                    default:
                        keep(p, t, chunk, path + "tool_calls[]." + name);
                }
            }
        }
    }

    private static void function(JsonParser p, Chunk.ToolFragment f, Chunk chunk, String path) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if ("name".equals(name)) {
                f.name = text(p, t);
            } else if ("arguments".equals(name)) {
                f.arguments = t == JsonToken.START_OBJECT ? rawObject(p) : text(p, t);
            } else {
                keep(p, t, chunk, path + "tool_calls[].function." + name);
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

    private static Usage usage(JsonParser p, Chunk chunk, String path) {
        long prompt = 0;
        long completion = 0;
        long total = -1;
        long cachedTop = -1;
        long cachedNested = -1;
        long cacheWrite = 0;
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
                        long[] counts = promptDetails(p, chunk, path + name + ".");
                        cachedNested = counts[0];
                        cacheWrite = counts[1];
                    } else {
                        keep(p, t, chunk, path + name);
                    }
                    break;
                case "completion_tokens_details":
                    if (t == JsonToken.START_OBJECT) {
                        reasoning = Math.max(0, nested(p, "reasoning_tokens", chunk, path + name + "."));
                    } else {
                        keep(p, t, chunk, path + name);
                    }
                    break;
                default:
                    keep(p, t, chunk, path + name);
            }
        }
        long cached = cachedTop >= 0 ? cachedTop : Math.max(0, cachedNested);
        if (total < 0) {
            total = prompt + completion < 0 ? Long.MAX_VALUE : prompt + completion; // saturate, never negative
        }
        return new Usage(prompt, completion, total, cached, cacheWrite, reasoning);
    }

    /** {@code prompt_tokens_details}: cached tokens read, and tokens written to the cache (OpenRouter). */
    private static long[] promptDetails(JsonParser p, Chunk chunk, String path) {
        long cached = -1;
        long written = 0;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if ("cached_tokens".equals(name)) {
                cached = t == JsonToken.VALUE_NULL ? -1 : count(p, t);
            } else if ("cache_write_tokens".equals(name)) {
                written = Math.max(0, count(p, t));
            } else {
                keep(p, t, chunk, path + name);
            }
        }
        return new long[] {cached, written};
    }

    private static long nested(JsonParser p, String field, Chunk chunk, String path) {
        long value = -1;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if (field.equals(name)) {
                value = t == JsonToken.VALUE_NULL ? -1 : count(p, t);
            } else {
                keep(p, t, chunk, path + name);
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
