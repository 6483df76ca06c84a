-- Issue 17: Idempotency-Key. The same key from the same user within 24 h answers the resource its first request
-- made; the primary key makes concurrent duplicates wait for the first and then find its row. scope keeps the
-- keys of different endpoints (images, batches) apart. No foreign key on resource_id: it names rows of
-- different tables, and a deleted resource answers 404 to a replay.
create table idempotency_keys (
    user_id      bigint      not null references users (id) on delete cascade,
    scope        text        not null,
    key          text        not null,
    request_hash char(64)    not null,
    resource_id  text        not null,
    created_at   timestamptz not null default now(),
    primary key (user_id, scope, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
