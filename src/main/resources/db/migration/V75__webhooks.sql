-- Issue 17: signed webhooks. An image's callback, given on POST /v1/images; never in the image JSON.
alter table images add column callback_url text;

-- One signing secret per user, AES-256-GCM encrypted (nonce || ciphertext || tag) under a server key: it must be
-- recoverable to sign, so it cannot be hashed like an API key. key_id names the server key that encrypted it.
create table webhook_secrets (
    user_id    bigint      primary key references users (id) on delete cascade,
    key_id     text        not null,
    ciphertext bytea       not null,
    created_at timestamptz not null default now()
);

-- The outbox: a row is written in the transaction that ends the image (or batch), so a delivery is never lost;
-- its id is the event id receivers dedupe on. status: pending -> delivered | failed (gave up) | refused (SSRF
-- guard). attempt numbers the JobRunr job that owns the row's next try; claimed_until keeps two runs apart.
create table webhook_deliveries (
    id              text        primary key,
    user_id         bigint      not null references users (id) on delete cascade,
    kind            text        not null,
    subject_id      text        not null,
    callback_url    text        not null,
    body            text        not null,
    status          text        not null default 'pending',
    attempt         integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    claimed_until   timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz,
    ended_at        timestamptz,
    unique (kind, subject_id)
);
create index webhook_deliveries_pending on webhook_deliveries (next_attempt_at) where status = 'pending';
