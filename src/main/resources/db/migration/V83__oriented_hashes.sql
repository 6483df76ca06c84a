-- The phash and dhash of each image's eight orientations (docs/duplicates.md, "Orientations"): 128 bytes, the eight
-- phashes then the eight dhashes in EXIF order, big-endian. Not indexed: orientation=any probes the band indexes with
-- the query's eight hashes against the stored identity hashes. Null for images hashed before this column existed.
alter table image_hashes add column oriented bytea;
alter table extraction_cache add column oriented bytea;
