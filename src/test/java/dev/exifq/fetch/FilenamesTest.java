package dev.exifq.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilenamesTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            attachment; filename="photo.jpg"                                     | photo.jpg
            attachment; filename=photo.jpg                                       | photo.jpg
            inline; filename = "a b.png" ; size=3                                | a b.png
            attachment; filename="quo\\"te.jpg"                                  | quo"te.jpg
            attachment; filename*=UTF-8''na%C3%AFve%20photo.jpg; filename="x.jpg" | naïve photo.jpg
            attachment; filename="x.jpg"; filename*=utf-8''%E2%82%AC.jpg          | €.jpg
            attachment; filename*=ISO-8859-1'en'%E9t%E9.jpg                      | été.jpg
            attachment; filename*=UTF-8''%FF%FE.jpg; filename="fallback.jpg"     | fallback.jpg
            attachment; filename*=KOI8-R''%C1.jpg; filename="fallback.jpg"       | fallback.jpg
            attachment; filename="../../etc/passwd"                              | passwd
            attachment; filename="..\\..\\windows\\win.ini"                      | win.ini
            attachment; filename*=UTF-8''..%2F..%2Fetc%2Fshadow                   | shadow
            attachment; filename=".."                                            | NULL
            attachment; filename="..."                                           | NULL
            attachment; filename=".htaccess"                                     | htaccess
            attachment; filename="a..b...jpg"                                    | a.b.jpg
            attachment; filename="evil\u202Egpj.exe"                             | evilgpj.exe
            attachment; filename="  spaced   out .jpg  "                         | spaced out .jpg
            attachment                                                           | NULL
            attachment; filename=""                                              | NULL
            NULL                                                                 | NULL
            """)
    void contentDisposition(String header, String expected) {
        assertEquals(expected, Filenames.sanitize(Filenames.fromContentDisposition(header)));
    }

    @Test
    void rawUtf8InPlainFilenameIsRecovered() {
        String latin1View = new String("café.jpg".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals("café.jpg", Filenames.fromContentDisposition("attachment; filename=\"" + latin1View + "\""));
    }

    @Test
    void controlCharactersAreRemoved() {
        assertEquals("ab.jpg", Filenames.sanitize("a\u0000\u0007\r\nb\u007f\u0085.jpg"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            /photos/My%20Pic.JPG        | My Pic.JPG
            /a/b/c.jpg                  | c.jpg
            /%C3%A9t%C3%A9.png          | été.png
            /dir/                       | NULL
            /                           | NULL
            /x/..%2F..%2Fpasswd         | passwd
            /x/%2E%2E                   | NULL
            /x/img.jpg;jsessionid=123   | img.jpg
            /x/%00%01name.gif           | name.gif
            """)
    void fromPath(String rawPath, String expected) {
        assertEquals(expected, Filenames.sanitize(Filenames.fromPath(rawPath)));
    }

    @Test
    void choosePrefersDispositionThenFinalThenOriginalPath() {
        assertEquals("cd.jpg", Filenames.choose("attachment; filename=cd.jpg", "/final.jpg", "/orig.jpg"));
        assertEquals("final.jpg", Filenames.choose(null, "/final.jpg", "/orig.jpg"));
        assertEquals("orig.jpg", Filenames.choose("attachment", "/", "/orig.jpg"));
        assertNull(Filenames.choose(null, "/", "/"));
    }

    @Test
    void longNamesAreCutTo255BytesKeepingTheExtension() {
        String name = Filenames.sanitize("é".repeat(300) + ".jpeg");
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 255, name);
        assertTrue(name.endsWith(".jpeg"));
        assertFalse(name.contains("\uFFFD"));
        String ascii = Filenames.sanitize("a".repeat(400));
        assertEquals(255, ascii.length());
        String emoji = Filenames.sanitize("😀".repeat(100) + ".png");
        assertTrue(emoji.getBytes(StandardCharsets.UTF_8).length <= 255);
        assertTrue(emoji.endsWith(".png"));
        assertEquals(emoji.codePoints().count(), emoji.codePoints().filter(cp -> cp == 0x1F600 || cp < 128).count());
    }

    @Test
    void mediaTypeHint() {
        assertEquals("image/jpeg", UrlFetcher.mediaType("image/JPEG; charset=binary"));
        assertEquals("application/octet-stream", UrlFetcher.mediaType(" application/octet-stream "));
        assertNull(UrlFetcher.mediaType("garbage"));
        assertNull(UrlFetcher.mediaType("<script>/x"));
        assertNull(UrlFetcher.mediaType(null));
    }
}
