package dev.exifq.writes;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.List;

/**
 * The multipart bodies of the write endpoints, for the OpenAPI document only (the endpoints take
 * {@code @RestForm} parameters): one class per form, one field per form field, each with its rules and an example.
 * Each endpoint names its class in {@code @RequestBody}, with an example of the whole form.
 */
final class WriteForms {
    private WriteForms() {}

    static final String FILE = "The image (multipart file part), at most 25 MB. Its type is found from its bytes.";
    static final String FILES = "1 to 20 images, each a 'files' part of at most 25 MB; the ZIP names each entry "
            + "after its part's file name";
    static final String MODE = "append (default): everything else stays; overwrite: all metadata removed first "
            + "(the ICC profile stays)";

    static final String VIEW_EXAMPLE = """
            {"file": "(photo.jpg)"}""";
    static final String EDIT_EXAMPLE = """
            {"file": "(photo.jpg)", "title": "Sunset", "author": "Zoë", "keywords": "sunset, beach", "mode": "append"}""";
    static final String ADVANCED_EXAMPLE = """
            {"file": "(photo.jpg)", "fields": "{\\"Title\\":\\"Sunset\\",\\"Artist\\":\\"Jane\\",\\"Orientation\\":1,\\"GPSLatitude\\":48.8566,\\"GPSLongitude\\":2.3522}", "mode": "append"}""";
    static final String STRIP_EXAMPLE = """
            {"file": "(photo.jpg)", "keepIcc": "true"}""";
    static final String GEO_EXAMPLE = """
            {"file": "(photo.jpg)", "latitude": "48.8566", "longitude": "2.3522", "altitude": "35"}""";
    static final String SEO_EXAMPLE = """
            {"file": "(photo.jpg)", "name": "Jane Doe", "title": "Sunset over Zurich", "description": "The lake at dusk",
             "destination": "Lake Zurich", "city": "Zurich", "keywords": "sunset, lake, zurich", "category": "Travel",
             "url": "https://example.com/zurich", "webFileName": "sunset-zurich"}""";
    static final String ADVANCED_BULK_EXAMPLE = """
            {"files": ["(a.jpg)", "(b.png)"], "fields": "{\\"Artist\\":\\"Jane\\",\\"Copyright\\":\\"© Jane\\"}", "mode": "append"}""";
    static final String STRIP_BULK_EXAMPLE = """
            {"files": ["(a.jpg)", "(b.png)"], "keepIcc": "true"}""";

    @Schema(name = "ViewExifForm", requiredProperties = "file")
    static class ViewExif {
        @Schema(description = FILE)
        public FileUpload file;
    }

    @Schema(name = "EditExifForm", requiredProperties = "file",
            description = "At least one field (or mode=overwrite). Each goes to its XMP, IPTC and EXIF tags (README, "
                    + "'Writing metadata').")
    static class EditExif {
        @Schema(description = FILE)
        public FileUpload file;
        @Schema(description = "XMP-dc:Title, IPTC:ObjectName", example = "Sunset")
        public String title;
        @Schema(description = "XMP-dc:Description, IPTC:Caption-Abstract, EXIF ImageDescription", example = "The lake at dusk")
        public String description;
        @Schema(description = "XMP-dc:Creator, IPTC:By-line, EXIF Artist", example = "Zoë")
        public String author;
        @Schema(description = "Comma-separated: XMP-dc:Subject, IPTC:Keywords", example = "sunset, beach")
        public String keywords;
        @Schema(description = "XMP-dc:Rights, IPTC:CopyrightNotice, EXIF Copyright", example = "© 2026 Zoë")
        public String copyright;
        @Schema(description = "XMP-photoshop:Credit, IPTC:Credit", example = "Zoë / exifq")
        public String creditLine;
        @Schema(description = "XMP-photoshop:Source, IPTC:Source", example = "Own work")
        public String source;
        @Schema(description = "XMP-xmpRights:WebStatement", example = "https://example.com/license")
        public String webStatementUrl;
        @Schema(description = "XMP-plus:Licensor LicensorName", example = "Zoë Photo")
        public String licensorName;
        @Schema(description = "XMP-plus:Licensor LicensorURL", example = "https://example.com")
        public String licensorUrl;
        @Schema(description = "XMP-xmpRights:UsageTerms", example = "Editorial use only")
        public String usageTerms;
        @Schema(description = "XMP-iptcCore:CreatorContactInfo CreatorWorkURL", example = "https://example.com/zoe")
        public String creatorUrl;
        @Schema(description = "XMP-iptcCore:CreatorContactInfo CreatorWorkEmail", example = "zoe@example.com")
        public String creatorEmail;
        @Schema(description = "XMP-iptcExt:DigitalSourceType: a URI, or the IPTC code alone", example = "trainedAlgorithmicMedia")
        public String digitalSourceType;
        @Schema(description = MODE, enumeration = {"append", "overwrite"}, defaultValue = "append")
        public String mode;
    }

    @Schema(name = "AdvancedEditForm", requiredProperties = {"file", "fields"})
    static class AdvancedEdit {
        @Schema(description = FILE)
        public FileUpload file;
        @Schema(description = AdvancedEditBulk.FIELDS,
                example = "{\"Title\":\"Sunset\",\"Artist\":\"Jane\",\"Orientation\":1,\"GPSLatitude\":48.8566,\"GPSLongitude\":2.3522}")
        public String fields;
        @Schema(description = MODE, enumeration = {"append", "overwrite"}, defaultValue = "append")
        public String mode;
    }

    @Schema(name = "StripExifForm", requiredProperties = "file")
    static class StripExif {
        @Schema(description = FILE)
        public FileUpload file;
        @Schema(description = StripExifBulk.KEEP_ICC, enumeration = {"true", "false"}, defaultValue = "true")
        public String keepIcc;
    }

    @Schema(name = "GeoExifForm", requiredProperties = {"file", "latitude", "longitude"})
    static class GeoExif {
        @Schema(description = FILE)
        public FileUpload file;
        @Schema(description = "Signed decimal degrees, -90..90 (south negative)", example = "48.8566")
        public String latitude;
        @Schema(description = "Signed decimal degrees, -180..180 (west negative)", example = "2.3522")
        public String longitude;
        @Schema(description = "Metres; negative: below sea level", example = "35")
        public String altitude;
    }

    @Schema(name = "SeoExifForm", requiredProperties = {"file", "name", "title", "description", "destination", "city",
            "keywords", "category", "url"})
    static class SeoExif {
        @Schema(description = FILE)
        public FileUpload file;
        @Schema(description = "Who made the image: XMP-dc:Creator, IPTC:By-line, EXIF Artist", example = "Jane Doe")
        public String name;
        @Schema(description = "XMP-dc:Title, IPTC:ObjectName", example = "Sunset over Zurich")
        public String title;
        @Schema(description = "XMP-dc:Description, IPTC:Caption-Abstract, EXIF ImageDescription", example = "The lake at dusk")
        public String description;
        @Schema(description = "XMP-iptcCore:Location, IPTC:Sub-location", example = "Lake Zurich")
        public String destination;
        @Schema(description = "XMP-photoshop:City, IPTC:City", example = "Zurich")
        public String city;
        @Schema(description = "Comma-separated: XMP-dc:Subject, IPTC:Keywords", example = "sunset, lake, zurich")
        public String keywords;
        @Schema(description = "XMP-photoshop:Category", example = "Travel")
        public String category;
        @Schema(description = "XMP-iptcCore:CreatorWorkURL, XMP-xmpRights:WebStatement", example = "https://example.com/zurich")
        public String url;
        @Schema(description = "The download's file name (folders and control characters removed; the extension is the "
                + "processed file's type's)", example = "sunset-zurich")
        public String webFileName;
    }

    @Schema(name = "AdvancedEditBulkForm", requiredProperties = {"files", "fields"})
    static class AdvancedEditBulk {
        static final String FIELDS = "A JSON object of writable ExifTool tags (Name, Group:Name or Group.Name) to "
                + "strings, numbers, arrays (list tags) or null (delete)";

        @Schema(description = FILES, minItems = 1, maxItems = BulkWrites.MAX_FILES)
        public List<FileUpload> files;
        @Schema(description = FIELDS, example = "{\"Artist\":\"Jane\",\"Copyright\":\"© Jane\"}")
        public String fields;
        @Schema(description = MODE, enumeration = {"append", "overwrite"}, defaultValue = "append")
        public String mode;
    }

    @Schema(name = "StripExifBulkForm", requiredProperties = "files")
    static class StripExifBulk {
        static final String KEEP_ICC = "true (default): the ICC colour profile stays; false: it goes too";

        @Schema(description = FILES, minItems = 1, maxItems = BulkWrites.MAX_FILES)
        public List<FileUpload> files;
        @Schema(description = KEEP_ICC, enumeration = {"true", "false"}, defaultValue = "true")
        public String keepIcc;
    }

    private static final class BulkFiles {
        static final String DESCRIPTION = "1 to 20 images, each a 'files' part of at most 25 MB; the ZIP names each "
                + "entry after its part's file name";
    }
}
