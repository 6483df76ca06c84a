-- A write is an image row with an edit (EditSpec as JSON): the same claim, lease, local run and retries as a
-- read. Its result, the processed file, is kept 24 hours.
alter table images add column edit text;

-- No foreign key to images or users on purpose: deleting an image or a user must not drop these rows by
-- cascade, or their blobs would be orphaned. Rows go through ProcessedFiles (soft delete, then the purge
-- deletes the blob and only then the row).
create table processed_files (
    image_id        char(26) primary key,
    user_id         bigint      not null,
    tool            text        not null,
    file_name       text        not null,
    blob_key        text        not null,
    content_type    text,
    bytesize        bigint      not null,
    checksum        char(64)    not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    deleted         boolean     not null default false,
    soft_deleted_at timestamptz
);
create index processed_files_user_created on processed_files (user_id, created_at desc);
create index processed_files_expiring on processed_files (expires_at) where not deleted;
create index processed_files_soft_deleted on processed_files (soft_deleted_at) where deleted;
