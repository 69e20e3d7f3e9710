package dev.alfred.llm.anthropic.internal.wire;

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
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the Messages API's JSON, a streamed event's data or a whole message, with jackson-core's
 * streaming parser: one pass, no tree, unknown fields (and unknown event and delta types) skipped,
 * padding whitespace ignored. Usage counts are best-effort: a count that is not a usable number is
 * dropped (logged at DEBUG), never a failure of a complete answer. Thread-safe; {@link #streaming()}
 * gives the per-stream decoder, which is not.
 */
public final class EventDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(EventDecoder.class);
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** One content block of a whole message. */
    public static final class Block {
        String type = "?";
        String text;
        String signature;
        String data;
        String id;
        String name;
        String input;

        Block() {
        }

        /** @return the block's type: {@code text}, {@code thinking}, {@code redacted_thinking}, {@code tool_use}, … */
        public String type() {
            return type;
        }

        /** @return a text block's text or a thinking block's thinking */
        public String text() {
            return text;
        }

        /** @return a thinking block's signature */
        public String signature() {
            return signature;
        }

        /** @return a redacted_thinking block's data */
        public String data() {
            return data;
        }

        /** @return a tool_use block's id */
        public String id() {
            return id;
        }

        /** @return a tool_use block's name */
        public String name() {
            return name;
        }

        /** @return a tool_use block's input, as JSON text */
        public String input() {
            return input;
        }
    }

    /**
     * A whole (non-streamed) message.
     *
     * @param id         the message id
     * @param model      the model
     * @param blocks     the content blocks, in order
     * @param stopReason the stop reason
     * @param usage      the usage counts
     */
    public record Message(String id, String model, List<Block> blocks, String stopReason, UsageFields usage) {
    }

    /**
     * Decodes a whole message.
     *
     * @param json   the bytes
     * @param length how many are valid
     * @return the message
     * @throws MalformedEventException if the bytes are not one JSON object
     */
    public Message decodeMessage(byte[] json, int length) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("not a JSON object");
            }
            String id = null;
            String model = null;
            String stopReason = null;
            List<Block> blocks = new ArrayList<>();
            UsageFields usage = new UsageFields();
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "id": id = scalar(p, t); break;
                    case "model": model = scalar(p, t); break;
                    case "stop_reason": stopReason = scalar(p, t); break;
                    case "usage":
                        if (t == JsonToken.START_OBJECT) {
                            usage(p, usage);
                        } else {
                            p.skipChildren();
                        }
                        break;
                    case "content":
                        if (t == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                blocks.add(block(p));
                            }
                        } else {
                            p.skipChildren();
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new MalformedEventException("trailing data after the JSON object");
            }
            return new Message(id, model, blocks, stopReason, usage);
        } catch (JacksonException e) {
            throw new MalformedEventException(e.getOriginalMessage());
        }
    }

    private static Block block(JsonParser p) {
        Block b = new Block();
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type": b.type = typeOr(b.type, scalar(p, t)); break;
                case "text":
                case "thinking": b.text = scalar(p, t); break;
                case "signature": b.signature = scalar(p, t); break;
                case "data": b.data = scalar(p, t); break;
                case "id": b.id = scalar(p, t); break;
                case "name": b.name = scalar(p, t); break;
                case "input": b.input = t == JsonToken.START_OBJECT ? raw(p) : skip(p); break;
                default: p.skipChildren();
            }
        }
        return b;
    }

    private static String typeOr(String fallback, String type) {
        return type != null ? type : fallback;
    }

    /**
     * A decoder for the events of one stream: one non-blocking parser fed each event's bytes, and one
     * {@link Event} reused. Not thread-safe; one per stream.
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
        private final Event event = new Event();

        private Streaming() {
        }

        /**
         * Decodes one event's data. The returned event is reused by the next call. After a
         * {@link MalformedEventException} the decoder is spent.
         *
         * @param data   the bytes
         * @param length how many are valid
         * @return what the event carries
         * @throws MalformedEventException if the bytes are not one whole JSON object
         */
        public Event decode(byte[] data, int length) {
            event.clear();
            try {
                feeder.feedInput(data, 0, length);
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new MalformedEventException("not a JSON object");
                }
                readEvent(parser, event);
                if (parser.currentToken() != JsonToken.END_OBJECT || !parser.streamReadContext().inRoot()) {
                    throw new MalformedEventException("incomplete JSON object");
                }
                if (parser.nextToken() != JsonToken.NOT_AVAILABLE) {
                    throw new MalformedEventException("trailing data after the JSON object");
                }
                return event;
            } catch (JacksonException e) {
                throw new MalformedEventException(e.getOriginalMessage());
            }
        }
    }

    private static void readEvent(JsonParser p, Event e) {
        String name;
        while ((name = next(p)) != null) {
            JsonToken t = token(p);
            switch (name) {
                case "type":
                    e.type = scalar(p, t);
                    break;
                case "index":
                    e.index = t == JsonToken.VALUE_NUMBER_INT ? index(p) : skipIndex(p);
                    break;
                case "content_block":
                    if (t == JsonToken.START_OBJECT) {
                        contentBlock(p, e);
                    } else {
                        skip(p);
                    }
                    break;
                case "delta":
                    if (t == JsonToken.START_OBJECT) {
                        delta(p, e);
                    } else {
                        skip(p);
                    }
                    break;
                case "message":
                    if (t == JsonToken.START_OBJECT) {
                        message(p, e);
                    } else {
                        skip(p);
                    }
                    break;
                case "usage":
                    if (t == JsonToken.START_OBJECT) {
                        usage(p, e.usage);
                        e.hasUsage = true;
                    } else {
                        skip(p);
                    }
                    break;
                case "error":
                    if (t == JsonToken.START_OBJECT) {
                        error(p, e);
                    } else {
                        e.errorMessage = t == JsonToken.VALUE_STRING ? p.getString() : skip(p);
                        e.errorType = e.errorType == null ? "error" : e.errorType;
                    }
                    break;
                case "request_id":
                    e.requestId = scalar(p, t);
                    break;
                default:
                    skip(p);
            }
        }
    }

    private static String next(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.PROPERTY_NAME) {
            return p.currentName();
        }
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        throw new MalformedEventException("incomplete JSON object");
    }

    private static JsonToken token(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == null || t == JsonToken.NOT_AVAILABLE) {
            throw new MalformedEventException("incomplete JSON object");
        }
        return t;
    }

    private static void contentBlock(JsonParser p, Event e) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type": e.blockType = scalar(p, t); break;
                case "id": e.blockId = scalar(p, t); break;
                case "name": e.blockName = scalar(p, t); break;
                case "text":
                case "thinking": e.blockText = scalar(p, t); break;
                case "signature": e.blockSignature = scalar(p, t); break;
                case "data": e.blockData = scalar(p, t); break;
                default: p.skipChildren();
            }
        }
    }

    private static void delta(JsonParser p, Event e) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type": e.deltaType = scalar(p, t); break;
                case "text":
                case "partial_json":
                case "thinking":
                case "signature": e.deltaValue = scalar(p, t); break;
                case "stop_reason": e.stopReason = scalar(p, t); break;
                default: p.skipChildren();
            }
        }
    }

    private static void message(JsonParser p, Event e) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id": e.messageId = scalar(p, t); break;
                case "model": e.model = scalar(p, t); break;
                case "usage":
                    if (t == JsonToken.START_OBJECT) {
                        usage(p, e.usage);
                        e.hasUsage = true;
                    } else {
                        p.skipChildren();
                    }
                    break;
                default: p.skipChildren();
            }
        }
    }

    private static void error(JsonParser p, Event e) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type": e.errorType = scalar(p, t); break;
                case "message": e.errorMessage = scalar(p, t); break;
                default: p.skipChildren();
            }
        }
        if (e.errorType == null) {
            e.errorType = "error";
        }
    }

    private static void usage(JsonParser p, UsageFields u) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "input_tokens": u.input = count(p, t); break;
                case "output_tokens": u.output = count(p, t); break;
                case "cache_creation_input_tokens": u.cacheCreation = count(p, t); break;
                case "cache_read_input_tokens": u.cacheRead = count(p, t); break;
                default: p.skipChildren();
            }
        }
    }

    /** A token count; -1 (not reported) when null or not a usable number. */
    private static long count(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            try {
                return Math.max(0, p.getLongValue());
            } catch (InputCoercionException beyondLong) {
                LOG.debug("usage count '{}' dropped: beyond the range of long", p.currentName());
                return -1;
            }
        }
        if (t != JsonToken.VALUE_NULL) {
            LOG.debug("usage count '{}' dropped: not an integer", p.currentName());
        }
        p.skipChildren();
        return -1;
    }

    private static long index(JsonParser p) {
        try {
            return Math.max(-1, p.getLongValue());
        } catch (InputCoercionException tooLarge) {
            return -1;
        }
    }

    private static long skipIndex(JsonParser p) {
        p.skipChildren();
        return -1;
    }

    private static String scalar(JsonParser p, JsonToken t) {
        if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }

    private static String skip(JsonParser p) {
        p.skipChildren();
        return null;
    }

    private static String raw(JsonParser p) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }
}
