package dev.alfred.llm.anthropic.internal.wire;

import java.util.Arrays;

/**
 * Fields a decoder read but does not model, each as its name (or a path such as
 * {@code usage.server_tool_use}) and its raw JSON text, in the order they came; kept so that nothing a
 * server says is dropped. A decoder allocates one only when such a field appears, and a stream's
 * decoder reuses its own. Not thread-safe.
 */
final class RawFields {

    private String[] names = new String[4];
    private String[] values = new String[4];
    private int size;

    void add(String name, String json) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size++] = json;
    }

    int size() {
        return size;
    }

    String name(int i) {
        return names[i];
    }

    String value(int i) {
        return values[i];
    }

    /** The value of a name, the last one when it came twice; null when absent. */
    String get(String name) {
        for (int i = size - 1; i >= 0; i--) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Forgets the fields; the texts stay referenced until overwritten, a reused decoder's few. */
    void clear() {
        size = 0;
    }
}
