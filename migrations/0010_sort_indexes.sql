-- An index for every documented sort of the collections that grow with the record (issue 19):
-- commitments and observations. A page is read in the order of its sort key, then the slug (the
-- tie-breaker, in the direction of the last key), so each index is (sort key, slug): the first
-- page and every page after a cursor are one range scan of it, read in either direction, instead
-- of a sort of every row the filters keep. Under a filter that keeps many rows (a party, one
-- agreement) SQLite reads the filter's index rather than the sort's, and sorts what it keeps, so
-- those filters have (filter, sort key, slug) for each sort. `slug` alone is the primary key's.
--
-- `status` sorts in lifecycle order, not alphabetically: its page is ordered by the status's
-- rank, `instr(LIFECYCLE, ',' || status || ',')` (`SortField::ranked`, src/paging/fields.rs),
-- so its index is on that very expression; SQLite uses an index on an expression only where a
-- query spells the same expression, and the test `every_documented_sort_reads_an_index`
-- (tests/api/sort_plans.rs) fails if `CommitmentStatus::LIFECYCLE` changes without a migration
-- that rebuilds these indexes.

-- Each sort alone: replaces the index on `agreement_slug` alone, which the longer one serves too.
drop index commitments_by_agreement;
create index commitments_by_agreement on commitments (agreement_slug, slug);
create index commitments_by_obligor on commitments (obligor_code, slug);
create index commitments_by_counterparty on commitments (counterparty_code, slug);
create index commitments_by_category on commitments (category, slug);
create index commitments_by_status on commitments (
    instr(',expected,pending,in_progress,in_effect,partially_fulfilled,fulfilled,implementation_contested,stalled,withdrawn,', ',' || status || ','),
    slug
);
create index commitments_by_specificity on commitments (specificity, slug);

-- Each sort under `party` (the obligor, the collection's documented filter), and within one
-- agreement (`/agreements/{slug}/commitments`): the filter's value, then the sort key.
create index commitments_by_obligor_and_agreement on commitments (obligor_code, agreement_slug, slug);
create index commitments_by_obligor_and_counterparty on commitments (obligor_code, counterparty_code, slug);
create index commitments_by_obligor_and_category on commitments (obligor_code, category, slug);
create index commitments_by_obligor_and_status on commitments (
    obligor_code,
    instr(',expected,pending,in_progress,in_effect,partially_fulfilled,fulfilled,implementation_contested,stalled,withdrawn,', ',' || status || ','),
    slug
);
create index commitments_by_obligor_and_specificity on commitments (obligor_code, specificity, slug);
create index commitments_by_agreement_and_obligor on commitments (agreement_slug, obligor_code, slug);
create index commitments_by_agreement_and_counterparty on commitments (agreement_slug, counterparty_code, slug);
create index commitments_by_agreement_and_category on commitments (agreement_slug, category, slug);
create index commitments_by_agreement_and_status on commitments (
    agreement_slug,
    instr(',expected,pending,in_progress,in_effect,partially_fulfilled,fulfilled,implementation_contested,stalled,withdrawn,', ',' || status || ','),
    slug
);
create index commitments_by_agreement_and_specificity on commitments (agreement_slug, specificity, slug);

-- Observations: by agreement, by kind, and each under the other.
drop index observations_by_agreement;
create index observations_by_agreement on observations (agreement_slug, slug);
create index observations_by_kind on observations (kind, slug);
create index observations_by_kind_and_agreement on observations (kind, agreement_slug, slug);
create index observations_by_agreement_and_kind on observations (agreement_slug, kind, slug);
