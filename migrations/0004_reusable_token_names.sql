-- A revoked token's name may be given to a new token (a curator's token is rotated under the
-- same name, which is the author of their changes): a name is unique among live tokens only.
-- SQLite cannot drop a primary key, so the table is rebuilt with a row id as its key.

create table api_tokens_by_id (
    id         integer primary key,
    name       text not null,
    sha256     text not null unique check (length(sha256) = 64),
    scope      text not null check (scope in ('read', 'write', 'admin')),
    created_at text not null,
    revoked_at text
);
insert into api_tokens_by_id (name, sha256, scope, created_at, revoked_at)
    select name, sha256, scope, created_at, revoked_at from api_tokens order by created_at;
drop table api_tokens;
alter table api_tokens_by_id rename to api_tokens;

create unique index api_tokens_live_name on api_tokens (name) where revoked_at is null;
