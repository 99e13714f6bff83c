-- no-transaction
-- An import is one revision (issue 16): a revision may hold several changes, each at its
-- `position` in the revision (from 1, in the order they were made), so `changes` is keyed by
-- (revision, position) rather than by revision alone. A resource changes at most once per
-- revision (its history and `as_of` read one change per revision): `changes_by_resource`,
-- which served those reads, becomes unique and enforces it.
--
-- SQLite cannot alter a primary key, so `changes` is rebuilt by SQLite's own recipe
-- (https://sqlite.org/lang_altertable.html#otheralter), as in 0007: foreign keys off, one
-- transaction, copy, drop, rename, then its index and append-only triggers again (dropping a
-- table drops them), foreign keys on. Every change stored so far was alone in its revision:
-- position 1.
pragma foreign_keys = off;
begin immediate;

create table changes_rebuilt (
    revision      integer not null references revisions (revision),
    position      integer not null check (position >= 1),
    resource_type text not null check (resource_type in ('source', 'agreement', 'round', 'commitment', 'observation', 'party')),
    resource_slug text not null,
    action        text not null check (action in ('created', 'updated')),
    before        text,
    after         text not null,
    primary key (revision, position)
);
insert into changes_rebuilt (revision, position, resource_type, resource_slug, action, before, after)
    select revision, 1, resource_type, resource_slug, action, before, after from changes;
drop table changes;
alter table changes_rebuilt rename to changes;
create unique index changes_by_resource on changes (resource_type, resource_slug, revision);
create trigger changes_append_only_update before update on changes begin
    select raise(abort, 'changes are append-only');
end;
create trigger changes_append_only_delete before delete on changes begin
    select raise(abort, 'changes are append-only');
end;

commit;
pragma foreign_keys = on;
