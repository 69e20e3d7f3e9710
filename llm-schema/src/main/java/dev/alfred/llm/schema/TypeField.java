package dev.alfred.llm.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the property that tells a sealed interface's records apart (its discriminator), where
 * {@code "type"} does not suit, such as when a record has a component named {@code type}. Each record
 * of the interface gets that property as a constant string, its {@link TypeName} or simple name.
 *
 * <pre>{@code
 * @TypeField("kind")
 * sealed interface Shape permits Circle, Square { }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TypeField {

    /**
     * The property's name.
     *
     * @return such as {@code kind}
     */
    String value();
}
