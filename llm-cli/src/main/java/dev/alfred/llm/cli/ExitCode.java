package dev.alfred.llm.cli;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderNotFoundException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;

/** The exit codes of alfred-chat, one per kind of outcome, so scripts can tell them apart. */
final class ExitCode {

    static final int OK = 0;
    static final int OTHER = 1;
    static final int USAGE = 2;
    static final int AUTHENTICATION = 3;
    static final int RATE_LIMIT_OR_QUOTA = 4;
    static final int UNAVAILABLE = 5;
    /** The model refused to answer (its refusal was printed); asking again unchanged will not help. */
    static final int REFUSED = 6;
    static final int INTERRUPTED = 130;

    /** The exit codes, for the help footer. */
    static final String TEXT = "Exit codes: 0 ok, 1 other error, 2 usage, 3 authentication, 4 rate limit or quota,"
            + " 5 provider unavailable, 6 the model refused to answer, 130 interrupted (Ctrl-C).";

    private ExitCode() {
    }

    static int of(LlmException e) {
        if (e instanceof StreamInterruptedException) {
            return of(((StreamInterruptedException) e).getCause());
        }
        if (e instanceof ProviderNotFoundException) {
            return USAGE;
        }
        if (e instanceof AuthenticationException) {
            return AUTHENTICATION;
        }
        if (e instanceof RateLimitException || e instanceof QuotaExceededException) {
            return RATE_LIMIT_OR_QUOTA;
        }
        if (e instanceof ProviderUnavailableException) {
            return UNAVAILABLE;
        }
        return OTHER;
    }

}
