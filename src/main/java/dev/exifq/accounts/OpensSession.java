package dev.exifq.accounts;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks sign-in and sign-up: there is no session yet, so no CSRF token either, but {@link AuthFilter} still
 * refuses them from another site's page (login CSRF: signing the victim into the attacker's account).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OpensSession {
}
