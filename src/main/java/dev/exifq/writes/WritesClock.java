package dev.exifq.writes;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** The time retention is judged by: the system clock; tests replace this bean to move through a day. */
@ApplicationScoped
public class WritesClock {
    public Instant now() {
        return Instant.now();
    }
}
