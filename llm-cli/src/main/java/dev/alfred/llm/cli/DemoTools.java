package dev.alfred.llm.cli;

import dev.alfred.llm.Description;
import dev.alfred.llm.tools.Tool;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** The tools alfred-chat offers the model with {@code --tools} and in the offline demo: a clock. */
final class DemoTools {

    /** The clock tool's arguments. */
    @Description("Where to tell the time")
    record TimeQuery(@Description("an IANA time zone, such as Europe/Paris; UTC when left out") Optional<String> zone) {
    }

    static final String CLOCK = "current_time";

    private DemoTools() {
    }

    /**
     * The tools.
     *
     * @param clock the clock the time is read from
     * @return the tools
     */
    static List<Tool<?>> all(Clock clock) {
        return List.of(Tool.of(CLOCK, "The current date and time in a time zone, to the second", TimeQuery.class,
                q -> ZonedDateTime.now(clock.withZone(ZoneId.of(q.zone().orElse("UTC")))).truncatedTo(ChronoUnit.SECONDS)
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
    }
}
