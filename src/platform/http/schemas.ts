import { Type } from 'typebox'

/** The JSON body of every API error: a stable code and a sentence a person can read. */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    fields: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
})
