package dev.exifq.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalPathsTest {
    @Test
    void onlyLocalPathsAreKept() {
        assertEquals("/dashboard/keys", LocalPaths.safeNext("/dashboard/keys"));
        assertEquals("/dashboard/history?page=2", LocalPaths.safeNext("/dashboard/history?page=2"));
        for (String bad : new String[] {null, "", "dashboard", "https://evil.example/", "//evil.example",
                "/\\evil.example", "/x\\y", "javascript:alert(1)", "/x\ny", "/x y", "\t/x", "/" + "a".repeat(600)}) {
            assertEquals("/dashboard", LocalPaths.safeNext(bad), String.valueOf(bad));
        }
    }
}
