-- XOAUTH2 accounts: the provider's token endpoint and client; client secret and refresh token encrypted like the
-- password (SecretCipher form v1:<keyId>:<base64>). Such accounts have no password.
alter table account alter column password_secret drop not null;
alter table account alter column password_key_id drop not null;
alter table account
    add column oauth2_token_url     varchar(2000),
    add column oauth2_client_id     varchar(500),
    add column oauth2_scope         varchar(1000),
    add column oauth2_client_secret text,
    add column oauth2_refresh_token text;
alter table account add constraint account_has_credential
    check (password_secret is not null or (oauth2_token_url is not null and oauth2_refresh_token is not null));
