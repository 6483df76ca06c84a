package dev.exifq.images;

/** What a successful run found; written in one guarded update. */
public record ProcessingResult(
        String finalUrl,
        String filename,
        String blobKey,
        String checksum,
        long bytesize,
        Extraction extraction,
        String extractorVersion,
        ImageGear.Gear gear,
        /** the written file of an image with an edit, else null; checksum above is then the original's */
        EditStep.ProcessedFile processed) {
}
