/** What a failed request tells the person: a status, a stable code and a message in their language, never a stack or SQL. */
import type { FastifyError, FastifyRequest } from 'fastify'
import { pgErrorCode } from '../db/index.ts'
import type { ErrorCode } from '../error-codes.ts'
import { AppError } from '../errors.ts'
import { isMessageKey, type Translate } from '../i18n/index.ts'
import { BODY_LIMIT, FORM_BODY_LIMIT, MAX_UPLOAD_BYTES, MAX_ROUTE_UPLOAD_BYTES, MAX_UPLOAD_FILES } from './limits.ts'

interface PublicError {
  status: number
  code: ErrorCode
  message: string
  fields?: Record<string, string>
}

export const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024))

export const uploadLimitOf = (req: FastifyRequest) =>
  Math.min(req.routeOptions.config.uploadLimit ?? MAX_UPLOAD_BYTES, MAX_ROUTE_UPLOAD_BYTES)

const kilobytes = (bytes: number) => Math.round(bytes / 1024)

/** Library errors about the request itself (size, type, limits): their code, the reader's message. */
function libraryError(code: string | undefined, t: Translate, req: FastifyRequest | undefined): PublicError | null {
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return {
        status: 413,
        code: 'FILE_TOO_LARGE',
        message: t('error.FILE_TOO_LARGE', { limit: megabytes(req ? uploadLimitOf(req) : MAX_UPLOAD_BYTES) }),
      }
    case 'FST_FILES_LIMIT':
      return { status: 413, code: 'TOO_MANY_FILES', message: t('error.TOO_MANY_FILES', { max: MAX_UPLOAD_FILES }) }
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { status: 413, code: 'TOO_MANY_FIELDS', message: t('error.TOO_MANY_FIELDS') }
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const form = /^application\/x-www-form-urlencoded/i.test(req?.headers['content-type'] ?? '')
      const routeLimit = req?.routeOptions.bodyLimit
      const limit = routeLimit && routeLimit !== BODY_LIMIT ? routeLimit : form ? FORM_BODY_LIMIT : BODY_LIMIT
      return { status: 413, code: 'BODY_TOO_LARGE', message: t('error.BODY_TOO_LARGE', { limit: kilobytes(limit) }) }
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: t('error.UNSUPPORTED_MEDIA_TYPE') }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_PROTO_VIOLATION':
      return { status: 400, code: 'MALFORMED_BODY', message: t('error.MALFORMED_BODY') }
    default:
      return null
  }
}

/**
 * Maps any error to what the person may read, in their language; library and database texts (English, with
 * values) stay in the log. `req` tells a body that could not be parsed from a fault of the platform.
 */
export function toPublicError(error: FastifyError | AppError | Error, t: Translate, req?: FastifyRequest): PublicError {
  if (error instanceof AppError) {
    const key = `error.${error.code}`
    const message =
      error.status >= 500
        ? t('error.INTERNAL')
        : error.localized
          ? error.localized(t)
          : isMessageKey(key) && error.code !== 'BAD_REQUEST'
            ? t(key)
            : error.messageIn(req?.locale ?? 'fr')
    return { status: error.status, code: error.code, message, ...(error.fields ? { fields: error.fields } : {}) }
  }
  const fe = error as FastifyError & { code?: string }
  if (fe.code === 'FST_CSRF_MISSING_SECRET' || fe.code === 'FST_CSRF_INVALID_TOKEN') {
    return { status: 403, code: 'CSRF', message: t('error.CSRF') }
  }
  if (fe.validation) {
    const first = fe.validation[0]
    const field =
      `${fe.validationContext ?? ''}${first?.instancePath ?? ''}`.replace(/^body\/?/, '') ||
      (first?.params as { missingProperty?: string } | undefined)?.missingProperty ||
      fe.validationContext ||
      ''
    return { status: 400, code: 'BAD_REQUEST', message: t('error.INVALID_FIELD', { field }) }
  }
  const known = libraryError(fe.code, t, req)
  if (known) return known
  // PostgreSQL errors that mean bad input, not a fault: the whole data exception class (22xxx: text the type
  // refuses, a NUL byte, a number out of range), a check, a duplicate, a row still in use
  const pgCode = pgErrorCode(error)
  if (pgCode?.startsWith('22') || pgCode === '23514' || pgCode === '23502')
    return { status: 400, code: 'BAD_REQUEST', message: t('error.BAD_REQUEST') }
  if (pgCode === '23505') return { status: 409, code: 'CONFLICT', message: t('error.CONFLICT') }
  if (pgCode === '23503') return { status: 409, code: 'IN_USE', message: t('error.IN_USE') }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500
  if (status === 429) return { status, code: 'RATE_LIMITED', message: t('error.RATE_LIMITED') }
  if (status >= 400 && status < 500) return { status, code: 'BAD_REQUEST', message: t('error.BAD_REQUEST') }
  // a multipart body the parser gave up on (cut short, a malformed part) before any handler ran
  if (req && !req.handlerStarted && isMultipart(req))
    return { status: 400, code: 'MALFORMED_BODY', message: t('error.MALFORMED_BODY') }
  return { status: 500, code: 'INTERNAL', message: t('error.INTERNAL') }
}

export const isMultipart = (req: FastifyRequest) => /^multipart\//i.test(req.headers['content-type'] ?? '')
