-- Accepted domains: mail is delivered only to these; each names the mailbox that gets what cannot be delivered.
create table accepted_domain (
    name        text primary key,              -- lower case, IDNA ASCII
    fallback    text not null,                 -- an address in an accepted domain
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- Address rules, tried by position, then type (EXACT, WILDCARD, REGEX), then id; the first match decides.
create table address_rule (
    id          uuid primary key,
    type        text not null check (type in ('EXACT', 'WILDCARD', 'REGEX')),
    pattern     text not null,
    targets     text not null,                 -- one target per line
    position    integer not null,
    description text not null default '',
    created_at  timestamptz not null default now()
);
create index address_rule_order on address_rule (position, type, id);

-- Duplicate ledger: which pbid first delivered a Message-ID to a final recipient. A second pbid is a duplicate copy.
create table recipient_ledger (
    message_id  text not null,
    recipient   text not null,                 -- final address, lower case
    pbid        text not null,
    first_seen  timestamptz not null,
    primary key (message_id, recipient)
);
create index recipient_ledger_age on recipient_ledger (first_seen);

-- Every decision taken, by pbid: a replay (same pbid consumed again) republishes exactly this.
create table routed_message (
    pbid            text primary key,
    routed_at       timestamptz not null,
    outcome         text not null,             -- OutcomeEvent JSON
    routed_headers  text,                      -- Kafka headers of the routed record (JSON object), null if none
    removed_headers text not null default ''   -- header names cut out before delivery, one per line
);
create index routed_message_age on routed_message (routed_at);
