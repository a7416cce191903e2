create table account (
    id          uuid primary key,
    name        varchar(200) not null unique,
    created_at  timestamptz  not null default now()
);
