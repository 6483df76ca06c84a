package dev.exifq.billing;

/** What a plan may or may not include. */
public enum Feature {
    API_KEYS("API keys"),
    BULK("bulk processing");

    private final String label;

    Feature(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
