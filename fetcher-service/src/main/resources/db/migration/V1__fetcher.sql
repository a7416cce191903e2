-- Source accounts with their schedule and lease (replicas share accounts with FOR UPDATE SKIP LOCKED).
create table account (
    id                    uuid primary key,
    name                  varchar(200) not null unique,
    host                  varchar(255) not null,
    port                  integer      not null,
    security              varchar(16)  not null,
    verify_certificate    boolean      not null,
    custom_ca             text,
    auth                  varchar(16)  not null,
    username              varchar(320) not null,
    password_secret       text         not null,  -- SecretCipher form v1:<keyId>:<base64>
    password_key_id       varchar(32)  not null,
    poll_interval_seconds integer      not null,
    enabled               boolean      not null,
    max_message_bytes     bigint       not null,
    retention_policy      varchar(32)  not null,
    retention_days        integer,
    routing               text         not null,  -- RoutingSettings JSON (mail-contract)
    created_at            timestamptz  not null default now(),
    updated_at            timestamptz  not null default now(),
    next_poll_at          timestamptz  not null default now(),
    lease_owner           varchar(100),
    lease_until           timestamptz
);
create index account_due on account (next_poll_at) where enabled;

-- What an admin needs to see at a glance (one row per account, updated after every poll).
create table account_state (
    account_id           uuid primary key references account (id) on delete cascade,
    last_poll_at         timestamptz,
    last_success_at      timestamptz,
    last_outcome         varchar(20),
    last_error           text,
    last_reply           text,
    consecutive_failures integer not null default 0,
    messages_on_server   integer not null default 0,
    messages_waiting     integer not null default 0,
    oldest_waiting_at    timestamptz,
    messages_oversized   integer not null default 0,
    failing_notified     boolean not null default false
);

-- Poll history.
create table poll (
    id                 bigserial primary key,
    account_id         uuid        not null references account (id) on delete cascade,
    owner              varchar(100),
    started_at         timestamptz not null,
    finished_at        timestamptz not null,
    outcome            varchar(20) not null,
    error              text,
    reply              text,
    messages_on_server integer,
    messages_fetched   integer     not null default 0,
    bytes_fetched      bigint      not null default 0,
    messages_deleted   integer     not null default 0,
    messages_oversized integer     not null default 0
);
create index poll_by_account on poll (account_id, id desc);

-- The UIDL ledger: what was published (and acknowledged) per account. Rows of messages gone from the
-- server are pruned, so its size follows the mailbox, not history.
create table ledger (
    account_id uuid         not null references account (id) on delete cascade,
    uidl       varchar(255) not null,
    pbid       varchar(40)  not null,
    fetched_at timestamptz  not null,
    primary key (account_id, uidl)
);

-- Message lifecycle for the API and for deletion decisions (written by polls and by the outcome consumer).
create table message (
    pbid        varchar(40) primary key,
    account_id  uuid        not null,
    uidl        varchar(255),
    size        bigint,
    fetched_at  timestamptz,
    status      varchar(20) not null,
    final_at    timestamptz,
    deleted_at  timestamptz,
    message_id  text,
    mail_from   text,
    subject     text,
    updated_at  timestamptz not null default now()
);
create index message_by_account on message (account_id, fetched_at desc);
create index message_by_status on message (status);

-- Outcome events from popbridge.outcomes.v1, idempotent by their Kafka coordinates.
create table message_event (
    id              bigserial primary key,
    pbid            varchar(40) not null,
    type            varchar(20) not null,
    recipient       text,
    recipients      text,
    reason          text,
    smtp_reply      text,
    attempt         integer,
    at              timestamptz not null,
    service         varchar(40),
    kafka_partition integer     not null,
    kafka_offset    bigint      not null,
    unique (kafka_partition, kafka_offset)
);
create index message_event_by_pbid on message_event (pbid, id);
