-- no-transaction
-- Saying exactly what the source says (issue 15): who reports each fact and on what basis,
-- temporary measures with their duration, expected effects apart from undertakings, gaps the
-- source names, sectors and products, milestones the source does not order, and the source's
-- own metadata as a curator learns it.
--
-- Three tables gain values in a check constraint or a nullable column (commitment statuses
-- `in_effect` and `implementation_contested`, an agreement's `specifics_disclosed` unknown, new
-- provenance subjects). SQLite cannot alter a check constraint, so those tables are rebuilt by
-- SQLite's own recipe (https://sqlite.org/lang_altertable.html#otheralter): foreign keys off,
-- one transaction, copy, drop, rename, foreign keys on (the rows are copied unchanged, so
-- every reference still holds). Foreign key pragmas
-- cannot change inside a transaction, hence `no-transaction` above and the explicit
-- `begin`/`commit` here.
pragma foreign_keys = off;
begin immediate;

create table agreements_rebuilt (
    slug                text primary key,
    title               text not null,
    kind                text not null check (kind in ('framework', 'consensus', 'agreement', 'memorandum')),
    status              text not null check (status in ('proposed', 'reached', 'signed', 'finalized', 'in_force', 'suspended', 'terminated')),
    summary             text not null,
    -- null where no quote says whether the specifics were disclosed
    specifics_disclosed integer check (specifics_disclosed in (0, 1))
);
insert into agreements_rebuilt select slug, title, kind, status, summary, specifics_disclosed from agreements;
drop table agreements;
alter table agreements_rebuilt rename to agreements;

-- `action` and `scope` are the source's own words for what is done and for which goods or
-- measures; `scope_specified` is 0 where the source says the scope was not specified.
create table commitments_rebuilt (
    slug              text primary key,
    agreement_slug    text not null references agreements (slug),
    obligor_code      text not null references parties (code),
    counterparty_code text not null references parties (code),
    category          text not null check (category in ('export_controls', 'trade_restrictions', 'tariffs', 'technology_access', 'visas', 'investment', 'other')),
    description       text not null,
    status            text not null check (status in ('pending', 'in_progress', 'partially_fulfilled', 'fulfilled', 'stalled', 'withdrawn', 'expected', 'in_effect', 'implementation_contested')),
    specificity       text not null check (specificity in ('specified', 'partially_specified', 'unspecified')),
    reciprocates_slug text references commitments (slug) deferrable initially deferred,
    action_text       text,
    scope_text        text,
    scope_specified   integer check (scope_specified in (0, 1)),
    check (obligor_code <> counterparty_code)
);
insert into commitments_rebuilt
    (slug, agreement_slug, obligor_code, counterparty_code, category, description, status,
     specificity, reciprocates_slug)
select slug, agreement_slug, obligor_code, counterparty_code, category, description, status,
       specificity, reciprocates_slug
from commitments;
drop table commitments;
alter table commitments_rebuilt rename to commitments;
create index commitments_by_agreement on commitments (agreement_slug);

create table commitment_status_changes_rebuilt (
    commitment_slug text not null references commitments (slug),
    sequence        integer not null,
    status          text not null check (status in ('pending', 'in_progress', 'partially_fulfilled', 'fulfilled', 'stalled', 'withdrawn', 'expected', 'in_effect', 'implementation_contested')),
    note            text,
    revision        integer not null references revisions (revision),
    recorded_at     text not null,
    date_text       text,
    date_precision  text check (date_precision in ('day', 'month', 'year', 'relative', 'unknown')),
    date_earliest   text,
    date_latest     text,
    primary key (commitment_slug, sequence)
);
insert into commitment_status_changes_rebuilt
select commitment_slug, sequence, status, note, revision, recorded_at, date_text, date_precision,
       date_earliest, date_latest
from commitment_status_changes;
drop table commitment_status_changes;
alter table commitment_status_changes_rebuilt rename to commitment_status_changes;

create table provenance_rebuilt (
    subject_type text not null check (subject_type in ('party', 'representative', 'institution', 'agreement', 'objective', 'milestone', 'round', 'round_agreement', 'commitment', 'status_change', 'observation', 'reporter', 'expected_effect', 'gap', 'sector', 'sector_mention', 'source_metadata')),
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

-- Dropping a table drops its triggers: the search index's come back as they were.
create trigger agreements_search_insert after insert on agreements begin
    insert into search_index (kind, slug, title, body) values ('agreement', new.slug, new.title, new.summary);
end;
create trigger agreements_search_update after update on agreements begin
    delete from search_index where kind = 'agreement' and slug = old.slug;
    insert into search_index (kind, slug, title, body) values ('agreement', new.slug, new.title, new.summary);
end;
create trigger agreements_search_delete after delete on agreements begin
    delete from search_index where kind = 'agreement' and slug = old.slug;
end;
create trigger commitments_search_insert after insert on commitments begin
    insert into search_index (kind, slug, title, body) values ('commitment', new.slug, new.description, new.category);
end;
create trigger commitments_search_update after update on commitments begin
    delete from search_index where kind = 'commitment' and slug = old.slug;
    insert into search_index (kind, slug, title, body) values ('commitment', new.slug, new.description, new.category);
end;
create trigger commitments_search_delete after delete on commitments begin
    delete from search_index where kind = 'commitment' and slug = old.slug;
end;

-- Who reports facts: a source in its own voice, the parties jointly, a party's institution or
-- representative, or a group the source names ("analysts", "observers"). Every source speaks
-- in its own voice, so each gets a reporter of kind `source` under its own slug.
create table reporters (
    slug                text primary key,
    kind                text not null check (kind in ('source', 'parties', 'institution', 'representative', 'group')),
    name                text not null,
    source_slug         text references sources (slug),
    institution_slug    text references institutions (slug),
    representative_slug text references representatives (slug),
    check ((kind = 'source') = (source_slug is not null)),
    check ((kind = 'institution') = (institution_slug is not null)),
    check ((kind = 'representative') = (representative_slug is not null))
);
create table reporter_parties (
    reporter_slug text not null references reporters (slug),
    party_code    text not null references parties (code),
    position      integer not null,
    primary key (reporter_slug, party_code)
);
create trigger sources_own_voice after insert on sources begin
    insert into reporters (slug, kind, name, source_slug) values (new.slug, 'source', new.title, new.slug);
end;
insert into reporters (slug, kind, name, source_slug) select slug, 'source', title, slug from sources;

-- Who reports each fact and on what basis: `stated` where the source says it, `inferred` where
-- the record reads it from the text, with the one-sentence reason served beside it.
create table fact_basis (
    subject_type text not null,
    subject_key  text not null,
    reported_by  text not null references reporters (slug),
    basis        text not null check (basis in ('stated', 'inferred')),
    reason       text,
    primary key (subject_type, subject_key),
    check (basis = 'stated' or length(reason) > 0)
);
create index fact_basis_by_reporter on fact_basis (reported_by, subject_type);
-- Facts recorded before this migration carry no reporter: they are served as their first
-- quote's source speaking, marked inferred until a curator reviews them.
insert into fact_basis (subject_type, subject_key, reported_by, basis, reason)
select subject_type, subject_key, min(source_slug), 'inferred',
       'Recorded before the record said who reports each fact: attributed to its source''s own voice until a curator reviews it.'
from provenance
where subject_type in ('party', 'representative', 'institution', 'agreement', 'objective', 'milestone', 'round', 'round_agreement', 'commitment', 'observation')
group by subject_type, subject_key;

-- A temporary measure: its duration as a structured value with the source's words, its
-- coverage in the source's words, and start and expiry only where the source gives them.
create table temporary_terms (
    commitment_slug  text primary key references commitments (slug),
    duration_amount  integer not null check (duration_amount > 0),
    duration_unit    text not null check (duration_unit in ('day', 'week', 'month', 'year')),
    duration_text    text not null,
    coverage         text,
    start_text       text,
    start_precision  text check (start_precision in ('day', 'month', 'year', 'relative', 'unknown')),
    start_earliest   text,
    start_latest     text,
    expiry_text      text,
    expiry_precision text check (expiry_precision in ('day', 'month', 'year', 'relative', 'unknown')),
    expiry_earliest  text,
    expiry_latest    text
);

-- What an agreement is expected to bring about: not an undertaking of any party.
create table expected_effects (
    slug                text primary key,
    agreement_slug      text not null references agreements (slug),
    description         text not null,
    specifics_disclosed integer check (specifics_disclosed in (0, 1))
);
-- The areas an expected effect concerns, in the source's words.
create table expected_effect_areas (
    effect_slug text not null references expected_effects (slug),
    position    integer not null,
    area        text not null,
    primary key (effect_slug, position)
);
create index expected_effects_by_agreement on expected_effects (agreement_slug);

-- What the source says an agreement leaves out or leaves vague.
create table gaps (
    slug           text primary key,
    agreement_slug text not null references agreements (slug),
    kind           text not null check (kind in ('not_detailed', 'not_specified', 'not_defined', 'not_disclosed')),
    topic          text not null,       -- the source's words for what is missing
    description    text not null
);
create index gaps_by_agreement on gaps (agreement_slug);

-- Sectors and products the source names, and the facts that mention each (with a quote).
create table sectors (
    slug text primary key,
    name text not null,
    kind text not null check (kind in ('product', 'industry', 'market_sector'))
);
create table sector_mentions (
    sector_slug  text not null references sectors (slug),
    position     integer not null,
    subject_type text not null check (subject_type in ('agreement', 'commitment', 'observation', 'expected_effect', 'gap')),
    subject_key  text not null,
    primary key (sector_slug, position),
    unique (sector_slug, subject_type, subject_key)
);
create index sector_mentions_by_fact on sector_mentions (subject_type, subject_key);

-- Whether the source orders a milestone on the timeline (`stated`), the record places it from
-- the text (`inferred`, with the reason) or nothing orders it (`unordered`).
alter table milestones add column order_basis text check (order_basis in ('stated', 'inferred', 'unordered'));
alter table milestones add column order_reason text;

-- A source's publisher, URL and publication date as a curator learns them, each with evidence
-- quoted from a stored source (sources themselves are immutable).
create table source_metadata (
    source_slug text not null references sources (slug),
    field       text not null check (field in ('publisher', 'url', 'published_on')),
    value       text not null,
    revision    integer not null references revisions (revision),
    primary key (source_slug, field)
);

create trigger expected_effects_search_insert after insert on expected_effects begin
    insert into search_index (kind, slug, title, body) values ('expected_effect', new.slug, new.description, 'expected effect');
end;
create trigger expected_effect_areas_search_insert after insert on expected_effect_areas begin
    update search_index set body = body || '. ' || new.area
    where kind = 'expected_effect' and slug = new.effect_slug;
end;
create trigger gaps_search_insert after insert on gaps begin
    insert into search_index (kind, slug, title, body) values ('gap', new.slug, new.description, new.topic);
end;
create trigger sectors_search_insert after insert on sectors begin
    insert into search_index (kind, slug, title, body) values ('sector', new.slug, new.name, replace(new.kind, '_', ' '));
end;

commit;
pragma foreign_keys = on;
