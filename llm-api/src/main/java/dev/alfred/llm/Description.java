package dev.alfred.llm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a record or one of its components to the model: {@code llm-schema} puts the text into the
 * JSON Schema it makes from the record (a tool's arguments, a structured answer). Depends on nothing.
 *
 * <pre>{@code
 * @Description("Where and when to look the weather up")
 * record WeatherQuery(@Description("a city name, such as Paris") String city, int days) { }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.RECORD_COMPONENT})
public @interface Description {

    /**
     * The description.
     *
     * @return the text
     */
    String value();
}
