package dev.alfred.llm.tools;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tool's error message as the model may see it: secrets masked first (every run of 8 characters of a
 * named secret, and anything shaped like an {@code sk-} key), then cut to a bound. Stateless.
 */
final class ErrorText {

    static final int RUN = 8;
    static final int MAX_CHARS = 1000;
    private static final Pattern KEY_SHAPED = Pattern.compile("sk-[A-Za-z0-9_-]{8,}");

    private ErrorText() {
    }

    static String scrub(String text, List<String> secrets) {
        String s = KEY_SHAPED.matcher(text).replaceAll("****");
        for (String secret : secrets) {
            s = mask(s, secret);
        }
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "…";
    }

    private static String mask(String text, String secret) {
        if (secret.length() < RUN) {
            return secret.isEmpty() ? text : text.replace(secret, "****");
        }
        Set<String> runs = new HashSet<>();
        for (int i = 0; i + RUN <= secret.length(); i++) {
            runs.add(secret.substring(i, i + RUN));
        }
        boolean[] masked = new boolean[text.length()];
        boolean any = false;
        for (int i = 0; i + RUN <= text.length(); i++) {
            if (runs.contains(text.substring(i, i + RUN))) {
                for (int j = i; j < i + RUN; j++) {
                    masked[j] = true;
                }
                any = true;
            }
        }
        if (!any) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!masked[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !masked[i - 1]) {
                out.append("****");
            }
        }
        return out.toString();
    }
}
