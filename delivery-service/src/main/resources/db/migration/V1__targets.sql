create table target (
    id          uuid primary key,
    created_at  timestamptz not null default now()
);
