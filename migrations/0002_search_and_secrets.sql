-- Full-text search over the record, and the server's own secrets.

-- Secrets the server generates for itself on first start (e.g. the key that signs pagination
-- cursors), so that they survive restarts without configuration.
create table server_secrets (
    name  text primary key,
    value blob not null
);

-- One FTS5 document per searchable fact or source. SQLite-specific by design (DESIGN.md allows
-- FTS5); a PostgreSQL backend would use tsvector instead. Triggers below keep it in step with
-- the record, so no code path can forget to.
create virtual table search_index using fts5(
    kind unindexed,      -- agreement, round, commitment, observation, source
    slug unindexed,
    title,
    body,
    tokenize = 'porter unicode61'
);

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

create trigger rounds_search_insert after insert on rounds begin
    insert into search_index (kind, slug, title, body) values ('round', new.slug, new.name, new.place || '. ' || new.outcome);
end;
create trigger rounds_search_update after update on rounds begin
    delete from search_index where kind = 'round' and slug = old.slug;
    insert into search_index (kind, slug, title, body) values ('round', new.slug, new.name, new.place || '. ' || new.outcome);
end;
create trigger rounds_search_delete after delete on rounds begin
    delete from search_index where kind = 'round' and slug = old.slug;
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

create trigger observations_search_insert after insert on observations begin
    insert into search_index (kind, slug, title, body) values ('observation', new.slug, new.summary, coalesce(new.attributed_to, ''));
end;
create trigger observations_search_update after update on observations begin
    delete from search_index where kind = 'observation' and slug = old.slug;
    insert into search_index (kind, slug, title, body) values ('observation', new.slug, new.summary, coalesce(new.attributed_to, ''));
end;
create trigger observations_search_delete after delete on observations begin
    delete from search_index where kind = 'observation' and slug = old.slug;
end;

-- Sources are immutable once stored: insert only.
create trigger sources_search_insert after insert on sources begin
    insert into search_index (kind, slug, title, body) values ('source', new.slug, new.title, new.body);
end;

-- Index what an existing database already holds.
insert into search_index (kind, slug, title, body) select 'agreement', slug, title, summary from agreements;
insert into search_index (kind, slug, title, body) select 'round', slug, name, place || '. ' || outcome from rounds;
insert into search_index (kind, slug, title, body) select 'commitment', slug, description, category from commitments;
insert into search_index (kind, slug, title, body) select 'observation', slug, summary, coalesce(attributed_to, '') from observations;
insert into search_index (kind, slug, title, body) select 'source', slug, title, body from sources;
