package dev.alfred.llm.internal;

/**
 * A syntax check of JSON text (RFC 8259) for a port that carries no JSON library: whether tool-call
 * arguments or a schema are one whole JSON object. One pass, no recursion (hostile nesting cannot
 * overflow the stack), no allocation beyond a stack of open containers. Thread-safe.
 */
public final class JsonText {

    private static final int MAX_SNIPPET = 80;
    private static final String[] LITERALS = {"true", "false", "null"};

    private JsonText() {
    }

    /**
     * Whether the text is exactly one JSON object, whitespace around it allowed.
     *
     * @param text the text
     * @return true for a syntactically valid JSON object
     */
    public static boolean isObject(CharSequence text) {
        int i = skip(text, 0);
        return i < text.length() && text.charAt(i) == '{' && isValid(text);
    }

    /**
     * Whether the text is exactly one JSON value, whitespace around it allowed.
     *
     * @param text the text
     * @return true for valid JSON
     */
    public static boolean isValid(CharSequence text) {
        int n = text.length();
        // open containers: true = object, false = array
        boolean[] stack = new boolean[16];
        int depth = 0;
        int i = skip(text, 0);
        // state: expecting a value (after '[' / ':' / ',' in array / start), or a key, or ',' / end
        boolean expectValue = true;
        boolean afterOpen = false;
        while (true) {
            if (expectValue) {
                if (i >= n) {
                    return false;
                }
                char c = text.charAt(i);
                if (c == '{' || c == '[') {
                    if (depth == stack.length) {
                        stack = java.util.Arrays.copyOf(stack, depth * 2);
                    }
                    stack[depth++] = c == '{';
                    i = skip(text, i + 1);
                    if (c == '{') {
                        if (i < n && text.charAt(i) == '}') {
                            depth--;
                            i = skip(text, i + 1);
                            expectValue = false;
                            continue;
                        }
                        i = key(text, i);
                        if (i < 0) {
                            return false;
                        }
                        continue;
                    }
                    if (i < n && text.charAt(i) == ']') {
                        depth--;
                        i = skip(text, i + 1);
                        expectValue = false;
                        continue;
                    }
                    continue;
                }
                i = scalar(text, i);
                if (i < 0) {
                    return false;
                }
                i = skip(text, i);
                expectValue = false;
                continue;
            }
            if (depth == 0) {
                return i == n;
            }
            if (i >= n) {
                return false;
            }
            char c = text.charAt(i);
            boolean inObject = stack[depth - 1];
            if (c == ',') {
                i = skip(text, i + 1);
                if (inObject) {
                    i = key(text, i);
                    if (i < 0) {
                        return false;
                    }
                }
                expectValue = true;
            } else if (c == (inObject ? '}' : ']')) {
                depth--;
                i = skip(text, i + 1);
            } else {
                return false;
            }
        }
    }

    /** Reads {@code "key" :} and the whitespace after it; returns the index of the value, or -1. */
    private static int key(CharSequence text, int i) {
        if (i >= text.length() || text.charAt(i) != '"') {
            return -1;
        }
        i = string(text, i);
        if (i < 0) {
            return -1;
        }
        i = skip(text, i);
        if (i >= text.length() || text.charAt(i) != ':') {
            return -1;
        }
        return skip(text, i + 1);
    }

    private static int scalar(CharSequence text, int i) {
        char c = text.charAt(i);
        if (c == '"') {
            return string(text, i);
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number(text, i);
        }
        for (String literal : LITERALS) {
            if (regionMatches(text, i, literal)) {
                return i + literal.length();
            }
        }
        return -1;
    }

    private static boolean regionMatches(CharSequence text, int i, String literal) {
        if (i + literal.length() > text.length()) {
            return false;
        }
        for (int k = 0; k < literal.length(); k++) {
            if (text.charAt(i + k) != literal.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** A string starting at the quote at i; returns the index after the closing quote, or -1. */
    private static int string(CharSequence text, int i) {
        int n = text.length();
        i++;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                if (i + 1 >= n) {
                    return -1;
                }
                char e = text.charAt(i + 1);
                if (e == 'u') {
                    if (i + 5 >= n) {
                        return -1;
                    }
                    for (int k = i + 2; k < i + 6; k++) {
                        if (Character.digit(text.charAt(k), 16) < 0) {
                            return -1;
                        }
                    }
                    i += 6;
                    continue;
                }
                if ("\"\\/bfnrt".indexOf(e) < 0) {
                    return -1;
                }
                i += 2;
                continue;
            }
            i++;
        }
        return -1;
    }

    private static int number(CharSequence text, int i) {
        int n = text.length();
        if (text.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return -1;
        }
        if (text.charAt(i) == '0') {
            i++;
        } else {
            int start = i;
            i = digits(text, i);
            if (i == start) {
                return -1;
            }
        }
        if (i < n && text.charAt(i) == '.') {
            int start = ++i;
            i = digits(text, i);
            if (i == start) {
                return -1;
            }
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            i = digits(text, i);
            if (i == start) {
                return -1;
            }
        }
        return i;
    }

    private static int digits(CharSequence text, int i) {
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static int skip(CharSequence text, int i) {
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * The start of a text for a message, cut at a bound.
     *
     * @param text the text
     * @return at most 80 characters, with a note of how many more there were
     */
    public static String snippet(CharSequence text) {
        if (text.length() <= MAX_SNIPPET) {
            return text.toString();
        }
        return text.subSequence(0, MAX_SNIPPET) + "… (" + (text.length() - MAX_SNIPPET) + " more characters)";
    }
}
