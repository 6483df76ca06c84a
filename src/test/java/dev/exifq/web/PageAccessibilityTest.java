package dev.exifq.web;

import dev.exifq.testing.WithBrowser;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every page, in Chromium, at desktop and phone width: each control has an accessible name and can take the
 * keyboard's focus, images have alt text, the page has a language, a title and a main landmark, text has at least
 * WCAG AA contrast (4.5:1) against its background, and nothing is wider than a 390 px screen.
 */
@QuarkusTest
class PageAccessibilityTest extends WithBrowser {
    private static final List<String> PUBLIC = List.of("/", "/sign-in", "/sign-up", "/pricing", "/docs");
    private static final List<String> SIGNED_IN = List.of("/dashboard", "/dashboard/keys", "/dashboard/history",
            "/dashboard/billing", "/dashboard/duplicates", "/dashboard/feedback", "/admin/files", "/admin/feedback");

    private static final String CHECK = """
            const problems = [];
            const describe = el => el.outerHTML.slice(0, 140);
            const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
            for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
              if (el.type === 'hidden' || !visible(el)) continue;
              const labelled = el.getAttribute('aria-labelledby');
              const name = [el.getAttribute('aria-label'),
                  el.labels ? [...el.labels].map(l => l.textContent).join(' ') : '',
                  labelled ? labelled.split(' ').map(id => document.getElementById(id)?.textContent || '').join(' ') : '',
                  (el.tagName === 'BUTTON' || el.tagName === 'A') ? el.textContent : '',
                  (el.type === 'submit' || el.type === 'button') ? el.value : '',
                  el.getAttribute('title')].filter(Boolean).join(' ').trim();
              if (!name) problems.push('no accessible name: ' + describe(el));
              if (el.tabIndex < 0 && !el.disabled) problems.push('cannot take focus: ' + describe(el));
            }
            for (const img of document.querySelectorAll('img')) {
              if (!img.hasAttribute('alt')) problems.push('image without alt: ' + describe(img));
            }
            if (!document.documentElement.lang) problems.push('no lang on <html>');
            if (!document.title.trim()) problems.push('no title');
            if (!document.querySelector('main')) problems.push('no <main>');
            const rgb = c => (c.match(/[0-9.]+/g) || []).map(Number);
            const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
            const background = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3); } return [255, 255, 255]; };
            for (const el of document.querySelectorAll('p, li, a, label, button, td, th, h1, h2, h3, dt, dd, span, summary, legend')) {
              if (!visible(el) || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
              const fg = rgb(getComputedStyle(el).color).slice(0, 3), bg = background(el);
              const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
              const ratio = (hi + 0.05) / (lo + 0.05);
              if (ratio < 4.5) problems.push('contrast ' + ratio.toFixed(2) + ': ' + describe(el));
            }
            if (document.documentElement.scrollWidth > window.innerWidth + 1)
              problems.push('wider than the window: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
            return problems;""";

    @Test
    void everyPageIsUsableByKeyboardScreenReaderAndPhone() {
        List<String> problems = new ArrayList<>();
        browser.driver().manage().deleteAllCookies();
        check(PUBLIC, problems);
        PageUsers.signIn(browser, PageUsers.ADMIN_EMAIL, PageUsers.ADMIN_PASSWORD);
        check(SIGNED_IN, problems);
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    private void check(List<String> paths, List<String> problems) {
        for (String path : paths) {
            for (boolean phone : new boolean[] {false, true}) {
                if (phone) {
                    browser.phone();
                } else {
                    browser.desktop();
                }
                browser.open(path);
                browser.waitForVisible("main");
                @SuppressWarnings("unchecked")
                List<Object> found = (List<Object>) browser.driver().executeScript(CHECK);
                found.forEach(p -> problems.add(path + (phone ? " (phone)" : "") + ": " + p));
            }
        }
        browser.desktop();
    }
}
