/**
 * Every error code the platform answers with (`code` in a JSON error, the class of an `AppError`), and what it
 * means. A code is stable: clients and tests rely on it; the message beside it is for people and is translated.
 */
export const ERROR_CODES = {
  // ——— the request itself (the kernel answers these) ———
  /** the form or query does not validate, or names something unknown */
  BAD_REQUEST: 'the request does not validate',
  /** the body cannot be read as the form or JSON it claims to be */
  MALFORMED_BODY: 'the body is incomplete or malformed',
  /** the text sent holds characters no text may hold (NUL, unpaired surrogates) */
  INVALID_CHARACTERS: 'the text holds invalid characters',
  /** a value of a search filter is not in its vocabulary */
  BAD_FILTER: 'unknown value for a filter',
  /** the form's anti-forgery token is missing or wrong (the page was open too long, or another site posted) */
  CSRF: 'missing or wrong anti-forgery token',
  FILE_TOO_LARGE: 'an uploaded file is over the limit',
  TOO_MANY_FILES: 'more files than a form takes',
  TOO_MANY_FIELDS: 'more fields than a form takes',
  BODY_TOO_LARGE: 'the body is over the limit',
  UNSUPPORTED_MEDIA_TYPE: 'a body of a type the route does not read',
  RATE_LIMITED: 'too many attempts in a short time',
  /** a write would break a uniqueness rule of the database */
  CONFLICT: 'the same thing exists already',
  /** a deletion would leave other things pointing at nothing */
  IN_USE: 'other things still refer to it',
  INTERNAL: 'an error of the platform, logged with its request id',

  // ——— who asks ———
  UNAUTHORIZED: 'signing in is needed',
  FORBIDDEN: 'the person signed in may not do this here',
  WRONG_PASSWORD: 'the current password typed is wrong',
  NOT_FOUND: 'no such page or thing, or none the person may see',
  USER_NOT_FOUND: 'no active account at this address',
  TERRITORY_NOT_FOUND: 'no territory of that kind and code',
  TERRITORY_CODE_TAKEN: 'another territory of that kind has this code',

  // ——— forms and files ———
  /** fields to correct; `fields` names each with a message key */
  INVALID: 'fields to correct',
  NO_FILE: 'no file was chosen',
  IMPORT_INVALID: 'the file has errors: nothing is imported',
  CHOOSE_ONE: 'the file holds several plans: choose one',
  NOTHING_CHOSEN: 'no plan of the file was chosen',
  INVALID_LINK: 'a link or reference that does not resolve',
  /** someone saved another version since the form was opened; `details` holds it */
  EDIT_CONFLICT: 'someone saved another version meanwhile',
  STALE: 'the thing changed since the page was loaded',
  CHANGED: 'the thing changed state since the page was loaded',
  REASON_REQUIRED: 'a reason must be given',
  /** a fiche whose fields do not validate; `fields` names each */
  INVALID_FICHE: 'a fiche to correct',
  /** an import of the référentiel refused as a whole; the message lists why */
  IMPORT_FAILED: 'the import is refused',

  // ——— action plans ———
  PLAN_LOCKED: 'only a draft plan takes an import',
  PLAN_EMPTY: 'a plan without commitments cannot be submitted or published',
  PLAN_WRONG_STATE: 'this step does not apply to the plan in its state',
  PLAN_NOT_PUBLISHED: 'progress is reported on a published plan only',
  PLAN_NOT_PUBLIC: 'the plan must be published to be assessed',
  STATUS_NEEDS_MILESTONE: 'a commitment’s status follows its milestones',
  HELD_NEEDS_REASON: 'a paused, blocked or abandoned commitment needs a public reason',
  NOT_HELD: 'the commitment already follows its milestones',
  MILESTONE_NOT_FOUND: 'the milestone is not the commitment’s',
  ENTRY_NOT_FOUND: 'the history entry to correct is not the commitment’s',
  COMMITMENT_IN_USE: 'other things link to the commitment',

  // ——— independent assessment ———
  ALREADY_APPOINTED: 'the person already reviews the plan',
  REVIEWER_NOT_INDEPENDENT: 'a reviewer cannot act for the territory, nor the other way round',
  CONFLICTS_NOT_DECLARED: 'the reviewer has not declared conflicts of interest',
  STATEMENT_REQUIRED: 'the conflict of interest must be described',
  INVALID_RATINGS: 'ratings missing or not justified',
  JUSTIFICATION_REQUIRED: 'a rating needs its justification',
  COCREATION_REQUIRED: 'the level of co-creation must be rated',
  RATINGS_REFUSED: 'a ratings file that cannot be imported',
  NOT_IN_REPLY: 'the report does not wait for the territory’s reply',
  REPLY_REQUIRED: 'the reply is empty',
  REPLY_LATE: 'the reply period is over',
  REPLY_PERIOD_RUNNING: 'the report is published once the reply period is over',
  ALREADY_REPLIED: 'the territory has already replied',
  NOT_PUBLISHED: 'an erratum is for a published report',
  ERRATUM_REQUIRED: 'the erratum is empty or too long',
  /** a report sent before every commitment is rated; the message lists what is missing */
  INCOMPLETE: 'the report is not complete',

  // ——— participation ———
  NOT_DRAFT: 'already published',
  NOT_OPEN: 'not open (yet, or any more)',
  NOT_CLOSED: 'not closed yet',
  STILL_OPEN: 'the amendment period is still open',
  ANSWERED: 'the synthesis is published: the consultation no longer changes',
  FINAL: 'the final version is published',
  HIDDEN: 'hidden by moderation',
  NOT_HIDDEN: 'not hidden',
  NOT_PENDING: 'already moderated',
  NOT_SUBMITTED: 'the version does not wait for review',
  VERSION_NOT_EDITABLE: 'the version was submitted or reviewed',
  OPEN_VERSION_EXISTS: 'a proposed change of the fiche is already waiting',
  CONFLICT_RESOLVED: 'the import conflict was already settled',

  // ——— membership and events ———
  MEMBERSHIP_EXISTS: 'the territory has a request under way or is a member',
  MEMBERSHIP_DECIDED: 'the request was already decided',
  MEMBERSHIP_NOT_ACTIVE: 'only a member leaves the network',
  NO_GRID_ROW: 'no row of the contribution grid fits the territory',
  CONVENTION_DATES: 'the convention ends before it starts',
  CANCELLED: 'the event is cancelled',
  PAST: 'the event is over',
  NOT_PAST: 'the event has not taken place yet',

  // ——— citizens' assemblies ———
  NOT_RECRUITING: 'the assembly does not take volunteers now',
  NO_QUOTAS: 'categories and quotas come first',
  INVALID_QUOTAS: 'quotas that contradict each other or the panel size',
  /** a volunteers' file with errors; nothing is imported */
  INVALID_IMPORT: 'the volunteers’ file has errors',
  PHASE: 'the step does not apply in the assembly’s phase',
  POOL_TOO_SMALL: 'fewer volunteers than seats',
  INFEASIBLE: 'no panel meets the quotas',
  TIME_LIMIT: 'the computation ran out of time',
  DRAW_PREPARED: 'the draw is already prepared',
  COMMITTED: 'the draw is not prepared, or the commitment is published',
  NOT_COMMITTED: 'the commitment to the randomness comes first',
  DRAWN: 'the draw has taken place',
  NOT_DRAWN: 'the panel is not drawn yet',
  ACTIVE: 'the member still sits',
  DROPPED: 'the member has left the panel',
  REPLACED: 'the member is already replaced',
  NO_CANDIDATE: 'no volunteer left keeps the panel within its quotas',
  TAKEN: 'the account is another member’s',
  AMENDMENTS_PENDING: 'amendments wait for their vote',
  NOT_VOTING: 'the vote is not open',
  ALREADY_VOTED: 'the person has voted',
  BALLOT_UNREADABLE: 'a sealed ballot cannot be opened',
  NOT_ADOPTED: 'only adopted proposals get an answer',
} as const

export type ErrorCode = keyof typeof ERROR_CODES
