package dev.alfred.llm.cli;

import dev.alfred.llm.config.ProviderConfig;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library's refusals of a provider's settings, said in alfred-chat's terms: the options and
 * environment variables a user of the command sets, never the builder methods a programmer calls
 * ({@code apiKey(...)}, {@code model(...)}) nor the settings' dotted keys. Stateless.
 */
final class UserTerms {

    private static final Pattern SETTING = Pattern.compile("setting '([A-Za-z0-9._-]+)'");

    private UserTerms() {
    }

    /**
     * A refusal of the settings (a provider's, or one of the environment's), reworded.
     *
     * @param message       the library's message
     * @param id            the provider's id, such as {@code openai}
     * @param baseUrlOption the {@code --base-url} given, or null
     * @return the message in the command's terms
     */
    static String reword(String message, String id, String baseUrlOption) {
        if (message == null) {
            return "";
        }
        String env = ProviderConfig.environmentName(id);
        if (message.startsWith("apiKey is missing")) {
            return "no API key for " + id + ": set " + env + "_API_KEY" + (id.equals("kimi") ? " (or MOONSHOT_API_KEY)" : "")
                    + "; only a server on this machine, or one on plain http allowed with --allow-insecure-http,"
                    + " goes without one";
        }
        if (message.startsWith("no ") && message.contains(" API key: set ")) { // a provider that always needs one
            return "no API key for " + id + ": set " + env + "_API_KEY" + (id.equals("kimi") ? " (or MOONSHOT_API_KEY)" : "");
        }
        if (message.contains("is plain http to")) {
            String target = baseUrlOption != null ? "--base-url " + baseUrlOption : env + "_BASE_URL";
            return target + " is plain http to a host that is not this machine: requests (and the API key, if one is"
                    + " set) would cross the network in clear; use https, or pass --allow-insecure-http (or set "
                    + env + "_ALLOW_INSECURE_HTTP=true) to accept that";
        }
        String m = message.replace("model is missing: ", "no model: ")
                .replace(", or call model(...)", ", or pass --model NAME")
                .replace(", or call apiKey(...)", "")
                .replace("or call apiKey(...)", "");
        Matcher setting = SETTING.matcher(m);
        StringBuilder sb = new StringBuilder();
        while (setting.find()) {
            String key = setting.group(1);
            String named = key.toLowerCase(Locale.ROOT).endsWith("base.url") && baseUrlOption != null ? "--base-url"
                    : ProviderConfig.environmentName(key);
            setting.appendReplacement(sb, Matcher.quoteReplacement(named));
        }
        setting.appendTail(sb);
        return sb.toString();
    }
}
