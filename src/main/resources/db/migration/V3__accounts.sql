-- Accounts (issue 5): sessions behind the JWTs, sign-in throttling, API key expiry, daily usage.

-- One row per signed-in session. A JWT carries the id as its `sid` claim and is only accepted while this
-- row exists, has not expired and is not revoked, so signing out (revoking) kills the token at once.
create table sessions (
    id         char(26) primary key,
    user_id    bigint      not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz,
    ip         text,
    user_agent text
);
create index sessions_user on sessions (user_id);
create index sessions_expires on sessions (expires_at);

-- Sign-in attempts per subject ('email:...' or 'ip:...') over the last minute; successful ones are deleted
-- again, so the rows are the failures (plus attempts still checking their password). Shared by all replicas.
create table sign_in_attempts (
    id         bigserial primary key,
    subject    text        not null,
    attempt_at timestamptz not null default now()
);
create index sign_in_attempts_subject on sign_in_attempts (subject, attempt_at);
create index sign_in_attempts_at on sign_in_attempts (attempt_at);

alter table api_keys add column expires_at timestamptz;

-- Images accepted per user per UTC day. Reservations are taken with one atomic upsert that refuses to
-- go past the plan's limit, so concurrent requests on any number of replicas cannot overshoot.
create table usage_daily (
    user_id bigint  not null references users (id) on delete cascade,
    day     date    not null,
    count   integer not null check (count >= 0),
    primary key (user_id, day)
);

-- Which image holds which unit, so a failed image gives its unit back exactly once (the delete of this
-- row is the idempotency key), and a reservation whose image row never appeared can be refunded.
create table usage_reservations (
    image_id   char(26)    primary key,
    user_id    bigint      not null references users (id) on delete cascade,
    day        date        not null,
    created_at timestamptz not null default now()
);
create index usage_reservations_created on usage_reservations (created_at);
