package dev.exifq.batches;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvTest {
    @Test
    void quotesWhatNeedsQuotingAndDefusesFormulas() {
        assertEquals("", Csv.cell(null));
        assertEquals("plain", Csv.cell("plain"));
        assertEquals("\"a,b\"", Csv.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.cell("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.cell("two\nlines"));
        assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", Csv.cell("=HYPERLINK(\"x\")"));
        assertEquals("\"'=1+2,3\"", Csv.cell("=1+2,3"));
        assertEquals("'+1", Csv.cell("+1"));
        assertEquals("'-1", Csv.cell("-1"));
        assertEquals("'@SUM(A1)", Csv.cell("@SUM(A1)"));
        assertEquals("'\tx", Csv.cell("\tx"));
        assertEquals("a=b", Csv.cell("a=b"));
    }
}
