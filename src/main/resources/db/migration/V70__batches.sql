-- Issue 17: batches of URLs. A batch and all its items are written in the POST's transaction, each item with the
-- id its image will have (its unit of the daily limit is reserved under that id at once), so a crash after the
-- 202 loses nothing: the feeder job turns items into images from `fed` on, in chunks, and re-running a chunk
-- inserts nothing twice (the image ids are fixed). processed/failed are counted by the transaction that ends
-- each image, so the batch completes exactly when its last image does.
create table batches (
    id           char(26)    primary key,
    user_id      bigint      not null references users (id) on delete cascade,
    status       text        not null check (status in ('queued', 'running', 'completed')),
    total        integer     not null check (total > 0),
    fed          integer     not null default 0,
    processed    integer     not null default 0,
    failed       integer     not null default 0,
    callback_url text,
    edit         text,
    created_at   timestamptz not null,
    completed_at timestamptz
);
create index batches_user on batches (user_id, created_at desc);

create table batch_items (
    batch_id char(26) not null references batches (id) on delete cascade,
    position integer  not null,
    url      text     not null,
    image_id char(26) not null,
    primary key (batch_id, position)
);

-- No foreign key: an image outlives nothing of its batch's, and deleting an account cascades to both tables.
alter table images add column batch_id char(26);
create index images_batch on images (batch_id, status) where batch_id is not null;
