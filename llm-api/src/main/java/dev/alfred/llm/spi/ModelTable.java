package dev.alfred.llm.spi;

import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.config.ProviderConfig;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's knowledge of its models' context windows where its server does not report them: a small
 * dated built-in table (written once, in the provider's dialect), overridden by the application's
 * configuration. The setting {@code <prefix>context.windows} (such as {@code openai.context.windows},
 * environment {@code OPENAI_CONTEXT_WINDOWS}) holds {@code id=window} or {@code id=window/maxOutput}
 * pairs separated by commas: {@code gpt-5=272000/128000,my-finetune=32768}. Immutable and thread-safe.
 */
public final class ModelTable {

    private final LocalDate asOf;
    private final Map<String, ModelInfo> builtIn;
    private final Map<String, ModelInfo> configured;

    private ModelTable(LocalDate asOf, Map<String, ModelInfo> builtIn, Map<String, ModelInfo> configured) {
        this.asOf = asOf;
        this.builtIn = builtIn;
        this.configured = configured;
    }

    /** An empty table: every model unknown unless configured. */
    public static final ModelTable EMPTY = new ModelTable(null, Map.of(), Map.of());

    /**
     * A built-in table.
     *
     * @param asOf    the day the figures were checked
     * @param entries {@code id, window, maxOutput} rows; maxOutput may be null
     * @return the table
     * @throws IllegalArgumentException if a row is malformed or an id repeats
     * @throws NullPointerException     if asOf is null
     */
    public static ModelTable builtIn(LocalDate asOf, Object[]... entries) {
        Objects.requireNonNull(asOf, "asOf");
        Map<String, ModelInfo> rows = new LinkedHashMap<>();
        for (Object[] e : entries) {
            if (e.length != 3 || !(e[0] instanceof String) || !(e[1] instanceof Integer)
                    || (e[2] != null && !(e[2] instanceof Integer))) {
                throw new IllegalArgumentException("a built-in row is {id, window, maxOutput-or-null}");
            }
            String id = (String) e[0];
            if (rows.put(id, ModelInfo.ofId(id).withLimits((Integer) e[1], (Integer) e[2], ModelInfo.Origin.BUILT_IN,
                    asOf)) != null) {
                throw new IllegalArgumentException("model " + id + " appears twice in the built-in table");
            }
        }
        return new ModelTable(asOf, java.util.Collections.unmodifiableMap(rows), Map.of());
    }

    /**
     * This table overridden by {@code <prefix>context.windows} when set.
     *
     * @param config the configuration
     * @param prefix the provider's setting prefix, such as {@code openai.}
     * @return the table
     * @throws IllegalArgumentException if the setting is malformed; the message names the pair
     */
    public ModelTable withConfig(ProviderConfig config, String prefix) {
        String key = prefix + "context.windows";
        Optional<String> value = config.get(key);
        if (value.isEmpty() || value.get().isBlank()) {
            return this;
        }
        Map<String, ModelInfo> rows = new LinkedHashMap<>();
        for (String pair : value.get().split(",")) {
            String p = pair.trim();
            int eq = p.lastIndexOf('=');
            try {
                if (eq <= 0) {
                    throw new NumberFormatException();
                }
                String id = p.substring(0, eq).trim();
                String[] limits = p.substring(eq + 1).trim().split("/", -1);
                if (limits.length > 2) {
                    throw new NumberFormatException();
                }
                Integer window = Integer.valueOf(limits[0].trim());
                Integer max = limits.length == 2 ? Integer.valueOf(limits[1].trim()) : null;
                rows.put(id, ModelInfo.ofId(id).withLimits(window, max, ModelInfo.Origin.CONFIGURED, null));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + p + "' is not id=window or id=window/maxOutput");
            }
        }
        return new ModelTable(asOf, builtIn, java.util.Collections.unmodifiableMap(rows));
    }

    /**
     * The model with this id as the table knows it: configured first, then built in.
     *
     * @param id the model id
     * @return the model, or empty when neither knows it
     */
    public Optional<ModelInfo> find(String id) {
        ModelInfo m = configured.get(id);
        return Optional.ofNullable(m != null ? m : builtIn.get(id));
    }

    /**
     * A model as the server listed it, completed from this table: configured limits override the server's;
     * built-in ones fill in only what the server did not report.
     *
     * @param fromServer the server's entry
     * @return the completed entry
     */
    public ModelInfo complete(ModelInfo fromServer) {
        ModelInfo c = configured.get(fromServer.id());
        if (c != null) {
            return fromServer.withLimits(c.contextWindow(), c.maxOutputTokens(), ModelInfo.Origin.CONFIGURED, null);
        }
        ModelInfo b = builtIn.get(fromServer.id());
        if (b != null && fromServer.contextWindow() == null) {
            return fromServer.withLimits(b.contextWindow(), b.maxOutputTokens(), ModelInfo.Origin.BUILT_IN, asOf);
        }
        return fromServer;
    }

    /**
     * Every model the table knows, configured ones first, each group in the order written, for a provider
     * without a server catalogue.
     *
     * @return the models
     */
    public List<ModelInfo> entries() {
        List<ModelInfo> all = new ArrayList<>(configured.values());
        builtIn.forEach((id, m) -> {
            if (!configured.containsKey(id)) {
                all.add(m);
            }
        });
        return List.copyOf(all);
    }

    /**
     * The built-in table's date.
     *
     * @return the date, or empty for {@link #EMPTY}
     */
    public Optional<LocalDate> asOf() {
        return Optional.ofNullable(asOf);
    }
}
