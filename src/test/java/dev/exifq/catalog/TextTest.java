package dev.exifq.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FE 55mm F1.8 ZA|fe-55mm-f1-8-za",
        "FE 55mm f/1.8 ZA|fe-55mm-f1-8-za",
        "Sony|sony",
        "Alpha 7 II|alpha-7-ii",
        "  --Canon EOS-1D Mark III--  |canon-eos-1d-mark-iii",
        "Voigtländer Nokton 40mm f/1.4|voigtlander-nokton-40mm-f1-4",
        "µ-mini Digital|u-mini-digital",
        "Meyer-Optik Görlitz|meyer-optik-gorlitz",
        "Sigma 24mm f/1.4 DG HSM / A|sigma-24mm-f1-4-dg-hsm-a",
        "XF 100-400mm f/4.5-5.6 R LM OIS WR + 1.4× conv.|xf-100-400mm-f4-5-5-6-r-lm-ois-wr-1-4x-conv",
        "Micro 4/3 System|micro-4-3-system",
        "Leica DG 100-400/F4.0-6.3|leica-dg-100-400-f4-0-6-3",
        "КМЗ|''",
    })
    void slugs(String in, String slug) {
        assertEquals(slug, Text.slug(in));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Canon EOS-1D Mark III|canoneos1dmarkiii",
        "canon eos 1d mark iii|canoneos1dmarkiii",
        "FinePix S5 Pro|finepixs5pro",
    })
    void keys(String in, String key) {
        assertEquals(key, Text.key(in));
    }
}
