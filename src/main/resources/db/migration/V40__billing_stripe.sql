-- Billing with Stripe (issue 14): customers, subscriptions, processed webhook events, and the log of every
-- plan change. users.plan stays the one value the limits read; only dev.exifq.billing writes it.

-- The Stripe customer of a user, created at their first checkout and reused after.
create table stripe_customers (
    user_id     bigint      primary key references users (id) on delete cascade,
    customer_id text        not null unique,
    created_at  timestamptz not null default now()
);

-- The latest state Stripe told us of each subscription. event_created (Stripe's event timestamp) lets an
-- older event that arrives late be ignored instead of rolling the state back.
create table subscriptions (
    id                 text        primary key,
    user_id            bigint      not null references users (id) on delete cascade,
    customer_id        text        not null,
    status             text        not null,
    current_period_end timestamptz,
    payment_failed_at  timestamptz,
    event_created      bigint      not null,
    first_seen_at      timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index subscriptions_user on subscriptions (user_id);

-- Webhook events already processed: the insert of the id is the idempotency key for Stripe's retries.
create table stripe_events (
    id          text        primary key,
    type        text        not null,
    received_at timestamptz not null default now()
);
create index stripe_events_received on stripe_events (received_at);

-- Every plan change, by whom (an admin's user id, or the Stripe event and subscription), when and why.
-- The newest row per user also says where the current plan came from, so an admin's decision is not
-- undone by events for a subscription that predates it.
create table plan_changes (
    id              bigserial   primary key,
    user_id         bigint      not null references users (id) on delete cascade,
    from_plan       text        not null,
    to_plan         text        not null,
    source          text        not null check (source in ('admin', 'stripe')),
    admin_id        bigint,
    stripe_event_id text,
    subscription_id text,
    reason          text,
    changed_at      timestamptz not null default now()
);
create index plan_changes_user on plan_changes (user_id, id);
