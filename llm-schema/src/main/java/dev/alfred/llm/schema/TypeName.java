package dev.alfred.llm.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value that names a record in its sealed interface's discriminator (see {@link TypeField}), where
 * the record's simple name does not suit.
 *
 * <pre>{@code
 * @TypeName("circle")
 * record Circle(double radius) implements Shape { }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TypeName {

    /**
     * The record's name in the discriminator.
     *
     * @return such as {@code circle}
     */
    String value();
}
