package dev.alfred.llm.http.internal;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Adds top-level fields to a request body a provider encoded: the escape hatch for what a provider's
 * encoder does not model. A field of a name the body already has is a conflict: refused (named in the
 * exception), unless the caller said to replace the library's value. One extra pass over the body, made
 * only when there are fields to add. Stateless and thread-safe.
 */
public final class BodyFields {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private BodyFields() {
    }

    /** A field the body already has, which the caller did not allow to replace. */
    public static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message);
        }
    }

    /**
     * The body with the fields added.
     *
     * @param body    a JSON object
     * @param fields  name to raw JSON value, in order
     * @param replace whether a field replaces the body's own of the same name
     * @return the new body, or the same array when there is nothing to add
     * @throws Conflict        naming a field the body has when {@code replace} is false
     * @throws JacksonException if the body or a value is not JSON
     */
    public static byte[] add(byte[] body, Map<String, String> fields, boolean replace) {
        if (fields.isEmpty()) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length); // grown once for the fields, if need be
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body);
             JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the body is not a JSON object");
            }
            g.writeStartObject();
            String name;
            while ((name = p.nextName()) != null) {
                p.nextToken();
                if (fields.containsKey(name)) {
                    if (!replace) {
                        throw new Conflict("body field '" + name + "' is written by the library; set replaceLibraryFields"
                                + " to send yours instead");
                    }
                    p.skipChildren();
                    continue;
                }
                g.writeName(name);
                g.copyCurrentStructure(p);
            }
            for (Map.Entry<String, String> f : fields.entrySet()) {
                g.writeName(f.getKey());
                try (JsonParser v = JSON.createParser(ObjectReadContext.empty(), f.getValue())) {
                    v.nextToken();
                    g.copyCurrentStructure(v);
                }
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
