package dev.alfred.llm.cli;

import dev.alfred.llm.ModelInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code --list-models} for people: one line per model under a header, columns as wide as their widest
 * value: the id, the context window and the most output tokens (grouped by thousands; {@code -} when
 * unknown), the features, and where the figures came from ({@code built-in} with its table's date).
 * Stateless.
 */
final class ModelListing {

    private static final String[] HEADER = {"MODEL", "CONTEXT", "MAX OUTPUT", "FEATURES", "FROM"};

    private ModelListing() {
    }

    /**
     * The table.
     *
     * @param models the catalogue
     * @return the lines, each ended by a line separator; a line saying so when the catalogue is empty
     */
    static String of(List<ModelInfo> models) {
        if (models.isEmpty()) {
            return "the provider lists no models" + System.lineSeparator();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ModelInfo m : models) {
            rows.add(new String[] {m.id(), tokens(m.contextWindow()), tokens(m.maxOutputTokens()), features(m),
                origin(m)});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                boolean number = c == 1 || c == 2;
                String cell = number ? " ".repeat(width[c] - row[c].length()) + row[c]
                        : row[c] + " ".repeat(width[c] - row[c].length());
                line.append(c == 0 ? "" : "  ").append(cell);
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String tokens(Integer n) {
        return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    /** The features, in lower case and the enum's order; {@code -} for none. */
    static String features(ModelInfo m) {
        if (m.features().isEmpty()) {
            return "-";
        }
        return java.util.EnumSet.copyOf(m.features()).stream().map(ModelListing::lower)
                .collect(Collectors.joining(", "));
    }

    /** {@code server}, {@code built-in (as of 2026-12-08)}, {@code configured} or {@code unknown}. */
    static String origin(ModelInfo m) {
        String o = lower(m.origin()).replace('_', '-');
        return m.asOf() == null ? o : o + " (as of " + m.asOf() + ")";
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
