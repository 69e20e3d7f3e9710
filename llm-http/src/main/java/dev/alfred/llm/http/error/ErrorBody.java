package dev.alfred.llm.http.error;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.StringWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an error body says, read from any of the shapes LLM servers use: {@code {"error":{...}}}
 * (OpenAI and most compatible servers), {@code {"type":"error","error":{...},"request_id":...}}
 * (Anthropic), {@code {"error":"text"}}, a flat {@code {"object":"error","message":...,"type":...}}
 * (older vLLM, Mistral), and an array whose first entry is one of those (Gemini's compatible
 * endpoint). A {@code message} that is not a string (Mistral's validation details) is kept as JSON
 * text; a numeric {@code code} as its digits. Every other field of the error object, and of the body
 * around it, is kept as raw JSON in {@link #details()} ({@code param}, Groq's {@code failed_generation},
 * OpenRouter's {@code metadata} and {@code user_id}, Groq's {@code status_code}), so nothing the server said
 * is lost. Values are raw server text: scrub before use.
 *
 * @param type      {@code error.type}, or null
 * @param message   {@code error.message}, or null
 * @param code      {@code error.code}, or null
 * @param requestId a top-level {@code request_id}, or null
 * @param details   the other fields, name to raw JSON, in order; never null
 */
public record ErrorBody(String type, String message, String code, String requestId, Map<String, String> details) {

    /**
     * Copies the details.
     *
     * @param type      the type, or null
     * @param message   the message, or null
     * @param code      the code, or null
     * @param requestId the request id, or null
     * @param details   the other fields; null for none
     */
    public ErrorBody {
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * An error without other fields.
     *
     * @param type      the type, or null
     * @param message   the message, or null
     * @param code      the code, or null
     * @param requestId the request id, or null
     */
    public ErrorBody(String type, String message, String code, String requestId) {
        this(type, message, code, requestId, Map.of());
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * Reads an error body.
     *
     * @param body   the bytes
     * @param offset where the JSON starts
     * @param length how many bytes are valid
     * @return what it says, or null when it is not JSON or not an error object
     */
    public static ErrorBody parse(byte[] body, int offset, int length) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                t = p.nextToken();
            }
            if (t != JsonToken.START_OBJECT) {
                return null;
            }
            return object(p);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /**
     * Reads one JSON object whose {@code START_OBJECT} the parser just read, up to its end: an error
     * event's data, for instance.
     *
     * @param p the parser
     * @return what it says, or null when it carries no error
     */
    public static ErrorBody object(JsonParser p) {
        String type = null;
        String message = null;
        String code = null;
        String requestId = null;
        String flatObject = null;
        boolean error = false;
        Map<String, String> details = new LinkedHashMap<>();
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "error":
                    if (t == JsonToken.START_OBJECT) {
                        ErrorBody inner = fields(p);
                        type = inner.type;
                        message = inner.message;
                        code = inner.code;
                        details.putAll(inner.details);
                        error = true;
                    } else if (t == JsonToken.VALUE_STRING) {
                        message = p.getString();
                        error = true;
                    } else if (t != JsonToken.VALUE_NULL && t != JsonToken.VALUE_FALSE) {
                        error = true;
                        p.skipChildren();
                    }
                    break;
                case "request_id":
                    requestId = scalar(p, t);
                    break;
                case "object":
                    flatObject = scalar(p, t);
                    break;
                case "message":
                    if (!error) {
                        message = text(p, t);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "type":
                    String v = scalar(p, t);
                    if (!error && !"error".equals(v)) {
                        type = v;
                    }
                    break;
                case "code":
                    if (!error) {
                        code = scalar(p, t);
                    } else {
                        p.skipChildren();
                    }
                    break;
                default:
                    if (t != JsonToken.VALUE_NULL) {
                        details.put(name, raw(p));
                    } else {
                        p.skipChildren();
                    }
            }
        }
        if (error || "error".equals(flatObject)) {
            return new ErrorBody(type, message, code, requestId, details);
        }
        return null;
    }

    private static ErrorBody fields(JsonParser p) {
        String type = null;
        String message = null;
        String code = null;
        Map<String, String> details = new LinkedHashMap<>();
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type": type = scalar(p, t); break;
                case "message": message = text(p, t); break;
                case "code": code = scalar(p, t); break;
                default:
                    if (t != JsonToken.VALUE_NULL) {
                        details.put(name, raw(p));
                    } else {
                        p.skipChildren();
                    }
            }
        }
        return new ErrorBody(type, message, code, null, details);
    }

    private static String raw(JsonParser p) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    /**
     * The type, else the code: what a caller matches on.
     *
     * @return the type or the code, or null when the body had neither
     */
    public String typeOrCode() {
        return type != null ? type : code;
    }

    private static String scalar(JsonParser p, JsonToken t) {
        if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }

    private static String text(JsonParser p, JsonToken t) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            return raw(p);
        }
        return scalar(p, t);
    }
}
