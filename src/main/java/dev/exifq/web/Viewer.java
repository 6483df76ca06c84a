package dev.exifq.web;

import io.quarkus.qute.TemplateData;

/** The signed-in person a page is shown to. */
@TemplateData
public record Viewer(long id, String email, String name, boolean admin, String plan) {
    /** What the navigation calls them: their name, or their email when they gave none. */
    public String displayName() {
        return name == null || name.isBlank() ? email : name;
    }
}
