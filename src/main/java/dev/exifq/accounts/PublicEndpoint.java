package dev.exifq.accounts;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a /v1 or /api resource method (or class) that anyone may call without credentials. {@link AuthFilter}
 * reads it from the matched resource, so the list of public endpoints lives beside the endpoints themselves.
 * Public endpoints still learn the caller when valid credentials come along (sign-out needs the session it ends).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface PublicEndpoint {
}
