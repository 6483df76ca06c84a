create table users (
    id            bigserial primary key,
    email         text        not null unique,
    name          text,
    password_hash text,
    role          text        not null default 'user' check (role in ('user', 'admin')),
    plan          text        not null default 'free',
    created_at    timestamptz not null default now()
);

-- API keys are random 256-bit secrets, so a SHA-256 of the key is a safe, indexable hash.
create table api_keys (
    id           text primary key,
    user_id      bigint      not null references users (id) on delete cascade,
    name         text        not null,
    key_hash     char(64)    not null unique,
    last4        text        not null,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_keys_user on api_keys (user_id);

create table images (
    id               char(26) primary key,
    user_id          bigint      not null references users (id) on delete cascade,
    status           text        not null check (status in ('queued', 'processing', 'processed', 'failed')),
    source_url       text,
    final_url        text,
    filename         text,
    blob_key         text,
    checksum         char(64),
    bytesize         bigint,
    content_type     text,
    width            integer,
    height           integer,
    dhash            char(16),
    phash            char(16),
    metadata         text,
    camera           text,
    lens             text,
    error_code       text,
    error            text,
    attempts         integer     not null default 0,
    claimed_by       text,
    claim_expires_at timestamptz,
    completed_at     timestamptz,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);
create index images_user_created on images (user_id, created_at desc);
create index images_user_checksum on images (user_id, checksum);
create index images_unfinished on images (status) where status in ('queued', 'processing');
