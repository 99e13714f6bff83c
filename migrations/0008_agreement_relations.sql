-- no-transaction
-- Relations between agreements (issue 16): an agreement declares how it stands to an earlier
-- one, in a closed vocabulary (`builds_on`, `implements`, `extends`, `amends`, `suspends`,
-- `supersedes`, `terminates`), each relation quoted. What an agreement built on (the table
-- `agreement_foundations`) becomes the relation `builds_on`, its attribution (subject
-- `foundation`, key `<agreement>/<earlier>`) the relation's (subject `relation`, key
-- `<agreement>/<kind>/<related>`), so that every answer about what an agreement builds on
-- stays as it was. And a commitment, like an agreement, can extend an earlier one.
--
-- A relation's quotes are stored as every fact's are, in `provenance`, whose check constraint
-- gains the subject `relation`. SQLite cannot alter a check constraint, so `provenance` is
-- rebuilt by SQLite's own recipe (https://sqlite.org/lang_altertable.html#otheralter), as in
-- 0005 and 0007: foreign keys off, one transaction, copy, drop, rename, foreign keys on.
pragma foreign_keys = off;
begin immediate;

create table agreement_relations (
    agreement_slug text not null references agreements (slug),
    kind           text not null check (kind in ('builds_on', 'implements', 'extends', 'amends', 'suspends', 'supersedes', 'terminates')),
    related_slug   text not null references agreements (slug),
    -- Order among the relations the agreement declares.
    position       integer not null,
    primary key (agreement_slug, kind, related_slug),
    check (agreement_slug <> related_slug)
);
-- Relations are read in both directions: by the agreement named as well as the one declaring.
create index agreement_relations_by_related on agreement_relations (related_slug, kind);
insert into agreement_relations (agreement_slug, kind, related_slug, position)
select agreement_slug, 'builds_on', builds_on_slug, position from agreement_foundations;
drop table agreement_foundations;

-- Slugs hold no '/', so the foundation's key splits at its only one.
update fact_basis
set subject_type = 'relation',
    subject_key = substr(subject_key, 1, instr(subject_key, '/')) || 'builds_on/'
                  || substr(subject_key, instr(subject_key, '/') + 1)
where subject_type = 'foundation';

create table provenance_rebuilt (
    subject_type text not null check (subject_type in ('party', 'representative', 'institution', 'agreement', 'objective', 'milestone', 'round', 'round_agreement', 'commitment', 'status_change', 'observation', 'reporter', 'expected_effect', 'gap', 'sector', 'sector_mention', 'source_metadata', 'relation')),
    subject_key  text not null,
    position     integer not null,
    source_slug  text not null references sources (slug),
    quote        text not null check (length(quote) > 0),
    start_char   integer not null check (start_char >= 0),
    end_char     integer not null,
    primary key (subject_type, subject_key, position),
    check (end_char > start_char)
);
insert into provenance_rebuilt select * from provenance;
drop table provenance;
alter table provenance_rebuilt rename to provenance;

-- A commitment can extend an earlier one (a follow-up deal prolonging a pause), as it can
-- replace one (0006): both stay in the record; existing rows extend nothing (null).
alter table commitments add column extends_slug text references commitments (slug);
create index commitments_by_extends on commitments (extends_slug);

commit;
pragma foreign_keys = on;
