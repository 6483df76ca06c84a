alter table images
    add column hash_source text check (hash_source in ('image', 'preview')),
    add column hash_error  text,
    add column cached      boolean not null default false;

-- Identical bytes are extracted once per extractor version (ExifTool version, mode, hashing revision).
create table extraction_cache (
    checksum          char(64)    not null,
    extractor_version text        not null,
    content_type      text,
    width             integer,
    height            integer,
    metadata          text        not null,
    dhash             char(16),
    phash             char(16),
    hash_source       text,
    hash_error        text,
    created_at        timestamptz not null default now(),
    primary key (checksum, extractor_version)
);

-- Near-duplicate search by multi-index hashing: each 64-bit hash is cut into four 16-bit bands. Two hashes
-- within distance r agree within floor(r/4) bits on at least one band, so a query looks up a few band
-- values per band through these indexes instead of scanning every hash.
create table image_hashes (
    image_id char(26) primary key references images (id) on delete cascade,
    user_id  bigint  not null,
    phash    bigint  not null,
    dhash    bigint  not null,
    p0 integer not null, p1 integer not null, p2 integer not null, p3 integer not null,
    d0 integer not null, d1 integer not null, d2 integer not null, d3 integer not null
);
create index image_hashes_p0 on image_hashes (user_id, p0);
create index image_hashes_p1 on image_hashes (user_id, p1);
create index image_hashes_p2 on image_hashes (user_id, p2);
create index image_hashes_p3 on image_hashes (user_id, p3);
create index image_hashes_d0 on image_hashes (user_id, d0);
create index image_hashes_d1 on image_hashes (user_id, d1);
create index image_hashes_d2 on image_hashes (user_id, d2);
create index image_hashes_d3 on image_hashes (user_id, d3);
