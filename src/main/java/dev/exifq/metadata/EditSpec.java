package dev.exifq.metadata;

import java.util.List;
import java.util.Objects;

/**
 * A metadata write, as the API asked for it and {@link MetadataWriter} carries it out: which tool asked (for
 * the history), whether existing metadata goes first, and the tags to set. Tag names have been checked against
 * {@link WritableTags}; values are written literally (through files), never as ExifTool arguments.
 *
 * @param keepIcc for {@link Mode#STRIP} and {@link Mode#OVERWRITE}: keep the ICC colour profile
 */
public record EditSpec(String tool, Mode mode, boolean keepIcc, List<TagValue> tags) {
    public enum Mode {
        /** Set the tags, keep everything else. */
        APPEND,
        /** Remove all metadata first (the ICC profile stays when keepIcc), then set the tags. */
        OVERWRITE,
        /** Remove all metadata; no tags. */
        STRIP
    }

    /**
     * One tag to set.
     *
     * @param field   the API field that asked for it, named in errors
     * @param tag     {@code Group:Name} or {@code Name}, as checked by {@link WritableTags}
     * @param values  one value, or several for list tags (Keywords, Subject, Creator)
     * @param numeric write the value unconverted ({@code -TAG#=}), for numbers
     */
    public record TagValue(String field, String tag, List<String> values, boolean numeric) {
        public TagValue {
            Objects.requireNonNull(tag, "tag");
            values = List.copyOf(values);
        }

        public static TagValue text(String field, String tag, String value) {
            return new TagValue(field, tag, List.of(value), false);
        }
    }

    public EditSpec {
        Objects.requireNonNull(mode, "mode");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
