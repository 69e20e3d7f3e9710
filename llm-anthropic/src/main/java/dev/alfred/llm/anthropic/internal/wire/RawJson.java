package dev.alfred.llm.anthropic.internal.wire;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw JSON text: the value a parser stands on copied out as text (what a decoder keeps of fields it
 * does not model), a string field read back from such text, and the judgement of a tool call's
 * accumulated arguments (a whole object, a cut one, or not an object). Stateless and thread-safe.
 */
final class RawJson {

    static final JsonFactory JSON = JsonFactory.builder().build();
    static final String EMPTY_OBJECT = "{}";
    static final String EMPTY_ARRAY = "[]";

    /** What a tool call's accumulated arguments are. */
    enum Shape {
        /** Exactly one JSON object. */
        OBJECT,
        /** The beginning of a JSON object that was cut off: more text could complete it. */
        CUT,
        /** Anything else: another value, a syntax error, text after the object. */
        INVALID
    }

    private RawJson() {
    }

    /**
     * The value the parser stands on (its first token already read) as JSON text, the parser left on
     * the value's last token; {@code {}} and {@code []} without allocating.
     *
     * @param p the parser
     * @param t the value's first token
     * @return the text
     */
    static String copy(JsonParser p, JsonToken t) {
        StringWriter out = new StringWriter();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.END_OBJECT) {
                return EMPTY_OBJECT;
            }
            if (first == JsonToken.END_ARRAY) {
                return EMPTY_ARRAY;
            }
            try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
                boolean object = t == JsonToken.START_OBJECT;
                if (object) {
                    g.writeStartObject();
                } else {
                    g.writeStartArray();
                }
                JsonToken end = object ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
                for (JsonToken n = first; n != end; n = p.nextToken()) {
                    g.copyCurrentStructure(p);
                }
                if (object) {
                    g.writeEndObject();
                } else {
                    g.writeEndArray();
                }
            }
            return out.toString();
        }
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    /**
     * A string as a JSON string literal.
     *
     * @param s the string
     * @return the literal
     */
    static String quote(String s) {
        StringWriter out = new StringWriter(s.length() + 2);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeString(s);
        }
        return out.toString();
    }

    /**
     * A string field of a JSON object given as text, such as a citation's {@code url}.
     *
     * @param object the object's text, or null
     * @param field  the field's name
     * @return the value, or null when the text is not an object or the field is absent or not a string
     */
    static String string(String object, String field) {
        if (object == null) {
            return null;
        }
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), object)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String name;
            String value = null;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (name.equals(field) && t == JsonToken.VALUE_STRING) {
                    value = p.getString();
                } else {
                    p.skipChildren();
                }
            }
            return value;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /**
     * The entries of a JSON array given as text, each as text.
     *
     * @param array the array's text
     * @return the entries; the text itself as the one entry when it is not an array
     */
    static List<String> elements(String array) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), array)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return List.of(array);
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                out.add(copy(p, t));
            }
            return out;
        } catch (JacksonException notJson) {
            return List.of(array);
        }
    }

    /**
     * Judges a tool call's arguments: one whole object; else, fed to a non-blocking parser, the
     * beginning of one (the parser waits for more input) or neither.
     *
     * @param text the arguments
     * @return the shape
     */
    static Shape shape(String text) {
        if (isObject(text)) {
            return Shape.OBJECT;
        }
        String start = text.stripLeading();
        if (start.isEmpty()) {
            return Shape.CUT; // only whitespace: cut before the object began
        }
        if (start.charAt(0) != '{') {
            return Shape.INVALID;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = JSON.createNonBlockingByteArrayParser(ObjectReadContext.empty())) {
            ((ByteArrayFeeder) p.nonBlockingInputFeeder()).feedInput(bytes, 0, bytes.length);
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.NOT_AVAILABLE) {
                if (t == JsonToken.END_OBJECT && p.streamReadContext().inRoot()) {
                    return Shape.INVALID; // a whole object with something after it
                }
            }
            return Shape.CUT;
        } catch (JacksonException e) {
            return Shape.INVALID;
        }
    }

    /**
     * Whether text is exactly one JSON object (what the API takes as a tool call's input).
     *
     * @param text the text, or null
     * @return true for one object and nothing else but whitespace
     */
    static boolean isObject(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), text)) {
            boolean object = p.nextToken() == JsonToken.START_OBJECT;
            if (object) {
                p.skipChildren();
                object = p.nextToken() == null;
            }
            return object;
        } catch (JacksonException e) {
            return false;
        }
    }
}
