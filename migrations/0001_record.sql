-- The record's schema: sources, parties, agreements, rounds, commitments, observations, and the
-- provenance that ties every fact to a verbatim quote. Schema only: the seed lives in data/.
--
-- Portable SQL on purpose (text keys, integer flags, check constraints, no SQLite-only types), so
-- that a PostgreSQL backend stays cheap to add. Identifiers seen by clients are slugs and codes;
-- no table exposes a row number.

-- Every change to the record, the seed included (revision 1), in order.
create table revisions (
    revision    integer primary key,
    recorded_at text not null,          -- RFC 3339 UTC
    actor       text not null,          -- 'seed' or the name of the token that wrote it
    description text not null
);

-- A document the record is built from, stored exactly as received.
create table sources (
    slug         text primary key,
    title        text not null,
    kind         text not null check (kind in ('news_report', 'official_statement', 'press_release', 'analysis', 'other')),
    publisher    text,
    url          text,
    published_on text,                  -- ISO 8601 date, only where the source gives one
    retrieved_at text,                  -- RFC 3339 UTC, only where known
    body         text not null,
    sha256       text not null check (length(sha256) = 64)
);

create table parties (
    code text primary key check (length(code) = 2 and code = upper(code)),
    name text not null,
    kind text not null check (kind in ('state', 'bloc'))
);

create table institutions (
    slug       text primary key,
    party_code text not null references parties (code),
    name       text not null
);

-- People (or groups of officials) who speak or negotiate for a party.
create table representatives (
    slug             text primary key,
    party_code       text not null references parties (code),
    name             text not null,
    title            text,
    institution_slug text references institutions (slug)
);

create table agreements (
    slug                text primary key,
    title               text not null,
    kind                text not null check (kind in ('framework', 'consensus', 'agreement', 'memorandum')),
    status              text not null check (status in ('proposed', 'reached', 'signed', 'finalized', 'in_force', 'suspended', 'terminated')),
    summary             text not null,
    specifics_disclosed integer not null check (specifics_disclosed in (0, 1))
);

create table agreement_parties (
    agreement_slug text not null references agreements (slug),
    party_code     text not null references parties (code),
    position       integer not null,
    primary key (agreement_slug, party_code)
);

-- "The new accord builds on ..." : an agreement and the earlier agreements it builds on.
create table agreement_foundations (
    agreement_slug  text not null references agreements (slug),
    builds_on_slug  text not null references agreements (slug),
    position        integer not null,
    primary key (agreement_slug, builds_on_slug),
    check (agreement_slug <> builds_on_slug)
);

-- Topics are phrases of the source (the seed loader checks them verbatim).
create table agreement_topics (
    agreement_slug text not null references agreements (slug),
    topic          text not null,
    position       integer not null,
    primary key (agreement_slug, topic)
);

create table agreement_objectives (
    agreement_slug text not null references agreements (slug),
    position       integer not null,
    body           text not null,
    primary key (agreement_slug, position)
);

-- Negotiation rounds, in the order the sources give them (`sequence`, unique).
-- Dates are the source's own words plus a precision; earliest/latest only where known.
create table rounds (
    slug           text primary key,
    name           text not null,
    place          text not null,
    sequence       integer not null unique,
    date_text      text,
    date_precision text check (date_precision in ('day', 'month', 'year', 'relative', 'unknown')),
    date_earliest  text,
    date_latest    text,
    outcome        text not null
);

create table round_negotiators (
    round_slug          text not null references rounds (slug),
    representative_slug text not null references representatives (slug),
    position            integer not null,
    primary key (round_slug, representative_slug)
);

-- What a round did for an agreement: produced it, reaffirmed it, shaped it, ...
create table round_agreements (
    round_slug     text not null references rounds (slug),
    agreement_slug text not null references agreements (slug),
    relation       text not null check (relation in ('produced', 'laid_groundwork_for', 'reaffirmed', 'shaped')),
    position       integer not null,
    primary key (round_slug, agreement_slug)
);

-- Milestones of an agreement (reached, signed, announced, ...), with who announced them.
-- `follows_round_slug` places a milestone after a round on the timeline when no date orders it.
create table milestones (
    slug               text primary key,
    agreement_slug     text not null references agreements (slug),
    sequence           integer not null,
    kind               text not null check (kind in ('reached', 'signed', 'finalized', 'announced', 'implemented')),
    title              text not null,
    follows_round_slug text references rounds (slug),
    announced_by       text,
    date_text          text,
    date_precision     text check (date_precision in ('day', 'month', 'year', 'relative', 'unknown')),
    date_earliest      text,
    date_latest        text,
    unique (agreement_slug, sequence)
);

create table milestone_announcers (
    milestone_slug text not null references milestones (slug),
    party_code     text not null references parties (code),
    position       integer not null,
    primary key (milestone_slug, party_code)
);

-- What one party undertakes toward another under an agreement. The reciprocal link is deferred
-- so that both sides of a pair can be inserted in one transaction.
create table commitments (
    slug              text primary key,
    agreement_slug    text not null references agreements (slug),
    obligor_code      text not null references parties (code),
    counterparty_code text not null references parties (code),
    category          text not null check (category in ('export_controls', 'trade_restrictions', 'tariffs', 'technology_access', 'visas', 'investment', 'other')),
    description       text not null,
    status            text not null check (status in ('pending', 'in_progress', 'partially_fulfilled', 'fulfilled', 'stalled', 'withdrawn', 'expected')),
    specificity       text not null check (specificity in ('specified', 'partially_specified', 'unspecified')),
    reciprocates_slug text references commitments (slug) deferrable initially deferred,
    check (obligor_code <> counterparty_code)
);

-- A commitment's status over time; the first entry is its status in the seed.
create table commitment_status_changes (
    commitment_slug text not null references commitments (slug),
    sequence        integer not null,
    status          text not null check (status in ('pending', 'in_progress', 'partially_fulfilled', 'fulfilled', 'stalled', 'withdrawn', 'expected')),
    note            text,
    revision        integer not null references revisions (revision),
    recorded_at     text not null,
    primary key (commitment_slug, sequence)
);

create table observations (
    slug           text primary key,
    agreement_slug text not null references agreements (slug),
    kind           text not null check (kind in ('analysis', 'open_question', 'risk', 'market_reaction', 'outlook', 'reception')),
    attributed_to  text,                -- null where the source says it in its own voice
    summary        text not null
);

-- The quotes behind every fact. `subject_type` names the table of the fact and `subject_key` its
-- key (composite keys joined with '/'); one table instead of one per fact type keeps provenance
-- uniform. Offsets count Unicode scalar values in the source's body, end exclusive.
create table provenance (
    subject_type text not null check (subject_type in ('party', 'representative', 'institution', 'agreement', 'objective', 'milestone', 'round', 'round_agreement', 'commitment', 'status_change', 'observation')),
    subject_key  text not null,
    position     integer not null,
    source_slug  text not null references sources (slug),
    quote        text not null check (length(quote) > 0),
    start_char   integer not null check (start_char >= 0),
    end_char     integer not null,
    primary key (subject_type, subject_key, position),
    check (end_char > start_char)
);

create index commitments_by_agreement on commitments (agreement_slug);
create index observations_by_agreement on observations (agreement_slug);
create index milestones_by_agreement on milestones (agreement_slug);
