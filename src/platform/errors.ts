import type { ErrorCode } from './error-codes.ts'
import { ERROR_MESSAGES_EN } from './i18n/errors.ts'
import type { Locale, Translate } from './i18n/index.ts'

/** An error a person can act on: a stable code (`error-codes.ts`), a status, and the message they read. */
export class AppError extends Error {
  readonly status: number
  readonly userMessage: string
  readonly fields?: Record<string, string>
  /** What the caller may need to explain the error (the saved version in an edit conflict). */
  readonly details?: unknown
  /** The message in the reader's language, when it says more than a fixed text (what links stop a deletion). */
  readonly localized?: (t: Translate) => string
  constructor(
    readonly code: ErrorCode,
    options: {
      status: number
      userMessage: string
      fields?: Record<string, string>
      details?: unknown
      localized?: (t: Translate) => string
    },
  ) {
    super(`${code}: ${options.userMessage}`)
    this.status = options.status
    this.userMessage = options.userMessage
    if (options.fields) this.fields = options.fields
    if (options.details !== undefined) this.details = options.details
    if (options.localized) this.localized = options.localized
  }

  /** The user message in the reader's language (services write it in French; `i18n/errors.ts` holds the English). */
  messageIn(locale: Locale): string {
    return locale === 'en' ? (ERROR_MESSAGES_EN.get(this.userMessage) ?? this.userMessage) : this.userMessage
  }
}

export const notFound = (userMessage = 'Page introuvable.') => new AppError('NOT_FOUND', { status: 404, userMessage })
export const forbidden = (userMessage = "Vous n'avez pas le droit de faire cette action.") =>
  new AppError('FORBIDDEN', { status: 403, userMessage })
export const unauthorized = (userMessage = 'Connectez-vous pour continuer.') =>
  new AppError('UNAUTHORIZED', { status: 401, userMessage })
export const badRequest = (userMessage: string, fields?: Record<string, string>) =>
  new AppError('BAD_REQUEST', { status: 400, userMessage, ...(fields ? { fields } : {}) })
export const conflict = (code: ErrorCode, userMessage: string) => new AppError(code, { status: 409, userMessage })
/** Fields to correct (422): `fields` maps each field to the message key shown beside it. */
export const invalid = (fields: Record<string, string>, userMessage = 'Des champs sont à corriger.') =>
  new AppError('INVALID', { status: 422, userMessage, fields })
/** A request that cannot be done as it stands (422), with its own code, and fields when a form shows it. */
export const unprocessable = (code: ErrorCode, userMessage: string, fields?: Record<string, string>) =>
  new AppError(code, { status: 422, userMessage, ...(fields ? { fields } : {}) })
