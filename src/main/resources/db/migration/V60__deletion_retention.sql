-- Issue 22: users own their images. Deleting an image or an account, and expiring originals, removes rows
-- first and blobs afterwards; this outbox, written in the transaction that removes the row, makes sure every
-- blob that lost its row is deleted eventually (a crash or a storage outage only delays it).
create table blob_deletions (
    id         bigserial primary key,
    blob_key   text        not null,
    not_before timestamptz not null default now(),
    attempts   integer     not null default 0,
    last_error text,
    created_at timestamptz not null default now()
);
create index blob_deletions_due on blob_deletions (not_before);

-- When the original left the blob store (retention); metadata and hashes stay.
alter table images add column original_deleted_at timestamptz;
-- The drain never deletes a blob that a row still points to; the expiry finds finished images holding one.
create index images_blob_key on images (blob_key) where blob_key is not null;
-- The export reads a user's images in keyset pages by id.
create index images_user_id on images (user_id, id);
create index images_original_expiry on images (completed_at) where blob_key is not null;

-- Who deleted which account, when and why; nothing of the deleted account is kept (not even its email).
create table account_deletions (
    id              bigserial primary key,
    deleted_user_id bigint      not null,
    deleted_by      bigint      not null,
    by_admin        boolean     not null,
    reason          text,
    images          integer     not null,
    deleted_at      timestamptz not null default now()
);
