-- A commitment can replace an earlier one (issue 16: a follow-up deal that extends or
-- supersedes a measure), keeping both in the record. Existing rows replace nothing (null); a
-- nullable column with a null default can be added in place, reference included.
alter table commitments add column supersedes_slug text references commitments (slug);
create index commitments_by_supersedes on commitments (supersedes_slug);
