// Plain-language words for every code the API sends: a reader never sees `in_effect` or a slug.

const LABELS = {
  status: {
    pending: "Pending",
    in_progress: "In progress",
    partially_fulfilled: "Partially fulfilled",
    fulfilled: "Fulfilled",
    stalled: "Stalled",
    withdrawn: "Withdrawn",
    expected: "Expected, not yet made",
    in_effect: "In effect, not fulfilled",
    implementation_contested: "Implementation contested",
  },
  specificity: {
    specified: "Specified",
    partially_specified: "Partly specified",
    unspecified: "Unspecified",
  },
  agreement_status: {
    proposed: "Proposed",
    reached: "Reached",
    signed: "Signed",
    finalized: "Finalized by both sides",
    in_force: "In force",
    suspended: "Suspended",
    terminated: "Terminated",
  },
  milestone: {
    reached: "The agreement was reached",
    signed: "Signing",
    finalized: "Finalization",
    announced: "Announcement",
    implemented: "Implementation",
  },
  category: {
    export_controls: "Export controls",
    trade_restrictions: "Trade restrictions",
    tariffs: "Tariffs",
    technology_access: "Technology access",
    visas: "Visas",
    investment: "Investment",
    other: "Other",
  },
  observation: {
    analysis: "Analysis",
    open_question: "Open question",
    risk: "Risk",
    market_reaction: "Market reaction",
    outlook: "Outlook",
    reception: "Reception",
  },
  gap: {
    not_detailed: "Not detailed",
    not_specified: "Not specified",
    not_defined: "Not defined",
    not_disclosed: "Not disclosed",
  },
  source_kind: {
    news_report: "News report",
    official_statement: "Official statement",
    press_release: "Press release",
    analysis: "Analysis",
    other: "Document",
  },
  sector_kind: {
    product: "Product",
    industry: "Industry",
    market_sector: "Market sector",
  },
  type: {
    agreement: "Agreement",
    commitment: "Commitment",
    round: "Negotiation round",
    milestone: "Milestone",
    observation: "Observation",
    expected_effect: "Expected effect",
    gap: "What is missing",
    sector: "Sector",
    party: "Party",
    source: "Source",
  },
  action: {
    created: "added",
    updated: "updated",
    deleted: "removed",
  },
};

/** The words for `code` in `vocabulary`; an unknown code still reads as words, not as a code. */
export function label(vocabulary, code) {
  const known = LABELS[vocabulary]?.[code];
  if (known) return known;
  const words = String(code).replaceAll(/[_-]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
