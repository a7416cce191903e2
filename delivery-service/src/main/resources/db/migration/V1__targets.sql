-- SMTP targets (Exchange servers per domain, with failover by priority).
create table target (
    id                          uuid primary key,
    name                        varchar(200) not null unique,
    host                        varchar(255) not null,
    port                        integer not null,
    security                    varchar(32) not null,
    verify_certificate          boolean not null,
    custom_ca                   text,
    username                    varchar(255),
    password_enc                text,
    auth_mechanism              varchar(16) not null,
    helo_name                   varchar(255) not null,
    domains                     text not null,
    priority                    integer not null,
    max_connections             integer not null,
    max_messages_per_connection integer not null,
    created_at                  timestamptz not null,
    updated_at                  timestamptz not null
);

-- The delivery ledger: one row per (pbid, recipient) once an outcome exists; deferred and parked rows are
-- retried from here with the bytes in message_body.
create table delivery (
    id                 uuid primary key,
    pbid               varchar(64) not null,
    recipient          varchar(512) not null,
    original_recipient varchar(512) not null,
    state              varchar(16) not null,
    to_fallback        boolean not null default false,
    fallback_reason    text,
    account_id         varchar(64) not null,
    account_name       varchar(255) not null,
    uidl               varchar(255) not null,
    source             varchar(255) not null,
    envelope_from      varchar(512) not null,
    fallback           varchar(512) not null,
    fetched_at         timestamptz not null,
    message_id         varchar(998),
    from_header        varchar(998),
    subject            varchar(998),
    target_id          uuid,
    attempts           integer not null,
    ambiguous          boolean not null default false,
    last_reply         text,
    reason             text,
    first_attempt_at   timestamptz not null,
    last_attempt_at    timestamptz not null,
    next_attempt_at    timestamptz,
    updated_at         timestamptz not null,
    constraint delivery_pbid_recipient unique (pbid, recipient)
);
create index delivery_due on delivery (next_attempt_at) where state = 'DEFERRED';
create index delivery_state on delivery (state);

-- Raw bytes of messages with a deferred or parked recipient (removed when none is left).
create table message_body (
    pbid       varchar(64) primary key,
    raw        bytea not null,
    created_at timestamptz not null
);
