-- Feedback (issue 14): Feedback and feature requests from the public form.
create table feedback (
    id          bigserial   primary key,
    type        text        not null check (type in ('feedback', 'feature')),
    subject     text,
    message     text        not null,
    name        text,
    email       text,
    user_id     bigint      references users (id) on delete set null,
    source_path text,
    created_at  timestamptz not null default now()
);
create index feedback_created on feedback (created_at);
