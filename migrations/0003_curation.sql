-- Curator writes: bearer tokens, the change each revision made, idempotency keys, and the rules
-- that keep history append-only and sources immutable.

-- Only a token's SHA-256 is stored; the token itself is shown once, when it is created.
create table api_tokens (
    name       text primary key,
    sha256     text not null unique check (length(sha256) = 64),
    scope      text not null check (scope in ('read', 'write', 'admin')),
    created_at text not null,
    revoked_at text
);

-- What each revision after the seed changed: one resource, with its JSON view before (null when
-- it was created) and after. The seed (revision 1) has no row: a resource's state at revision 1
-- is its first change's `before`, or its current view when it never changed.
create table changes (
    revision      integer primary key references revisions (revision),
    resource_type text not null check (resource_type in ('source', 'agreement', 'round', 'commitment', 'observation')),
    resource_slug text not null,
    action        text not null check (action in ('created', 'updated')),
    before        text,
    after         text not null
);
create index changes_by_resource on changes (resource_type, resource_slug, revision);
create index revisions_by_time on revisions (recorded_at);

create trigger revisions_append_only_update before update on revisions begin
    select raise(abort, 'revisions are append-only');
end;
create trigger revisions_append_only_delete before delete on revisions begin
    select raise(abort, 'revisions are append-only');
end;
create trigger changes_append_only_update before update on changes begin
    select raise(abort, 'changes are append-only');
end;
create trigger changes_append_only_delete before delete on changes begin
    select raise(abort, 'changes are append-only');
end;
create trigger sources_immutable before update on sources begin
    select raise(abort, 'sources are immutable');
end;

-- The first answer to a POST carrying an `Idempotency-Key`, per token, kept for replay until it
-- expires. `request_sha256` covers the method, path and body, so that a key reused for another
-- request is refused.
create table idempotency_keys (
    token_name     text not null,
    key            text not null,
    request_sha256 text not null,
    status         integer not null,
    body           blob not null,
    location       text,
    etag           text,
    created_at     text not null,
    primary key (token_name, key)
);
create index idempotency_keys_by_age on idempotency_keys (created_at);

-- When a status change happened, in the words of the evidence that reports it (never guessed).
alter table commitment_status_changes add column date_text text;
alter table commitment_status_changes add column date_precision text check (date_precision in ('day', 'month', 'year', 'relative', 'unknown'));
alter table commitment_status_changes add column date_earliest text;
alter table commitment_status_changes add column date_latest text;
