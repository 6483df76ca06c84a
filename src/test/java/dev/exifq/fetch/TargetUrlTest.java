package dev.exifq.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetUrlTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://2130706433/                | 127.0.0.1
            http://0x7f.1/                    | 127.0.0.1
            http://0X7F.0.0.1/                | 127.0.0.1
            http://017700000001/              | 127.0.0.1
            http://0177.0.0.1/                | 127.0.0.1
            http://127.1/                     | 127.0.0.1
            http://127.0.1/                   | 127.0.0.1
            http://0x7f000001/                | 127.0.0.1
            http://127.0.0.1./                | 127.0.0.1
            http://0/                         | 0.0.0.0
            http://3232235521/                | 192.168.0.1
            http://0xa9fea9fe/                | 169.254.169.254
            http://１２７.０.０.１/             | 127.0.0.1
            http://169.254.169.254/latest     | 169.254.169.254
            """)
    void numericHostsBecomeTheAddressTheyMean(String url, String address) throws Exception {
        TargetUrl t = TargetUrl.parse(url);
        assertEquals(address, t.host);
        assertEquals(address, t.literal.getHostAddress());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://example.com                       | http://example.com/
            HTTP://Example.COM:8080/a/b?x=1#frag     | http://example.com:8080/a/b?x=1
            https://user:secret@example.com/p        | https://example.com/p
            http://a@b@example.com/p                 | http://example.com/p
            http://example.com/a b/ç.jpg?q=ä ö       | http://example.com/a%20b/%C3%A7.jpg?q=%C3%A4%20%C3%B6
            http://example.com/100%                  | http://example.com/100%25
            http://example.com/%41%42                | http://example.com/%41%42
            http://bücher.de/x                       | http://xn--bcher-kva.de/x
            http://[::1]:8080/x                      | http://[::1]:8080/x
            http://[::FFFF:127.0.0.1]/               | http://[::ffff:127.0.0.1]/
            http://example.com:/x                    | http://example.com/x
            http://my_host.example/x                 | http://my_host.example/x
            http://example.com?q=1                   | http://example.com/?q=1
            """)
    void normalisation(String url, String expected) throws Exception {
        assertEquals(expected, TargetUrl.parse(url).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "example.com/x.jpg", "//example.com/x", "/x.jpg", "file:///etc/passwd",
            "ftp://example.com/x", "gopher://127.0.0.1:70/_x", "jar:file:/tmp/x.jar!/a", "javascript:alert(1)",
            "data:image/png;base64,AAAA", "mailto:a@b.c", "http:/example.com", "http:example.com", "http://",
            "http:///x", "http://:80/", "http://example.com:0/", "http://example.com:65536/", "http://example.com:8a/",
            "http://256.0.0.1/", "http://1.2.3.4.5/", "http://foo.123/", "http://0x100000000/", "http://08/",
            "http://%31%32%37.0.0.1/", "http://exa mple.com/", "http://example.com\\@127.0.0.1/",
            "http://[::1/", "http://[::1]x/", "http://[fe80::1%25eth0]/", "http://[127.0.0.1]/", "http://::1/",
            "http://ex..ample.com/", "http://.example.com/", "http://example.com/\u0000", "http://exa\tmple.com/"})
    void invalid(String url) {
        FetchException e = assertThrows(FetchException.class, () -> TargetUrl.parse(url));
        assertEquals("invalid_url", e.code());
        assertEquals(400, e.httpStatus());
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            http://h.example/a/b.jpg     | c.jpg                    | http://h.example/a/c.jpg
            http://h.example/a/b.jpg     | /c.jpg                   | http://h.example/c.jpg
            http://h.example/a/b.jpg     | ../c.jpg                 | http://h.example/c.jpg
            http://h.example/a/b.jpg     | ?x=1                     | http://h.example/a/b.jpg?x=1
            http://h.example/a/b.jpg     | //other.example/d        | http://other.example/d
            https://h.example/a/b.jpg    | //other.example/d        | https://other.example/d
            http://h.example/a/b.jpg     | https://x.example/y z    | https://x.example/y%20z
            http://h.example/a/b.jpg     | /ä ö.jpg#frag            | http://h.example/%C3%A4%20%C3%B6.jpg
            http://h.example:81/a        | http://2130706433:82/z   | http://127.0.0.1:82/z
            """)
    void redirects(String base, String location, String expected) throws Exception {
        assertEquals(expected, TargetUrl.parse(base).redirect(location).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://x/y", "gopher://127.0.0.1/", "javascript:alert(1)"})
    void redirectToOtherSchemeIsInvalid(String location) throws Exception {
        TargetUrl base = TargetUrl.parse("http://h.example/");
        FetchException e = assertThrows(FetchException.class, () -> base.redirect(location));
        assertEquals("invalid_url", e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "a.b.c", "x1.example", "123abc.example"})
    void namesAreNotLiterals(String host) throws Exception {
        assertNull(TargetUrl.parse("http://" + host + "/").literal);
    }
}
