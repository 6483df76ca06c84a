package dev.exifq.web;

import io.quarkus.qute.TemplateData;

/**
 * What layout.html needs from every page: the title, who is signed in (null: nobody) and the session's CSRF
 * token, which the layout puts in {@code <meta name="csrf-token">} for static/exifq.js and pages put into forms
 * as the {@code csrf} field.
 */
@TemplateData
public record Layout(String title, Viewer viewer, String csrfToken, String path) {
    public boolean signedIn() {
        return viewer != null;
    }

    public boolean admin() {
        return viewer != null && viewer.admin();
    }
}
