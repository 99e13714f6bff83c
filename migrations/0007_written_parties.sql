-- no-transaction
-- Curators add parties (issue 16): the change log names a new kind of resource, `party`, and a
-- party gets the slug by which the change log, its history and `as_of` key every written
-- resource: its code in lower case (`cn` for `CN`), computed, so never out of step with it.
--
-- SQLite cannot alter a check constraint, so `changes` is rebuilt by SQLite's own recipe
-- (https://sqlite.org/lang_altertable.html#otheralter), as in 0005: foreign keys off, one
-- transaction, copy, drop, rename, then its index and append-only triggers again (dropping a
-- table drops them), foreign keys on. Foreign key pragmas cannot change inside a transaction,
-- hence `no-transaction` above and the explicit `begin`/`commit` here.
pragma foreign_keys = off;
begin immediate;

create table changes_rebuilt (
    revision      integer primary key references revisions (revision),
    resource_type text not null check (resource_type in ('source', 'agreement', 'round', 'commitment', 'observation', 'party')),
    resource_slug text not null,
    action        text not null check (action in ('created', 'updated')),
    before        text,
    after         text not null
);
insert into changes_rebuilt select revision, resource_type, resource_slug, action, before, after from changes;
drop table changes;
alter table changes_rebuilt rename to changes;
create index changes_by_resource on changes (resource_type, resource_slug, revision);
create trigger changes_append_only_update before update on changes begin
    select raise(abort, 'changes are append-only');
end;
create trigger changes_append_only_delete before delete on changes begin
    select raise(abort, 'changes are append-only');
end;

alter table parties add column slug text generated always as (lower(code)) virtual;

commit;
pragma foreign_keys = on;
