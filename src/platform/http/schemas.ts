import { Type } from 'typebox'
import { ERROR_CODES, type ErrorCode } from '../error-codes.ts'

/** The JSON body of every API error: a stable code (listed in the OpenAPI document) and a sentence a person can read. */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.Unsafe<ErrorCode>({
      type: 'string',
      enum: Object.keys(ERROR_CODES),
      description: 'what went wrong, stable across versions (src/platform/error-codes.ts says what each means)',
    }),
    message: Type.String(),
    fields: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
})
