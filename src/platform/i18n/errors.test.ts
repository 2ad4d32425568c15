import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { ERROR_CODES } from '../error-codes.ts'
import { AppError } from '../errors.ts'
import { ERROR_MESSAGES_EN } from './errors.ts'

const src = join(import.meta.dirname, '..', '..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

/** The fixed messages the code gives people: `userMessage: '…'`, and the messages of the error helpers. */
function messagesInCode(): Map<string, string> {
  const found = new Map<string, string>()
  const pattern =
    /(?:userMessage:\s*|(?:forbidden|notFound|unauthorized|badRequest)\(\s*|(?:conflict|unprocessable)\(\s*'[A-Z_]+',\s*)'((?:[^'\\\n]|\\.)*)'/g
  for (const file of sources(src)) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const text = match[1]!.replace(/\\'/g, "'")
      // a message key (translated by the dictionaries) is not a sentence
      if (!/\s/.test(text)) continue
      found.set(text, file)
    }
  }
  return found
}

test('every message the services give in French has its English, and English readers get it', () => {
  const messages = messagesInCode()
  assert.ok(messages.size > 100, 'the scan finds the messages')
  const missing = [...messages]
    .filter(([text]) => !ERROR_MESSAGES_EN.has(text))
    .map(([text, file]) => `${file}: ${text}`)
  assert.deepEqual(missing, [], 'add their English to src/platform/i18n/errors.ts')
  const unused = [...ERROR_MESSAGES_EN.keys()].filter((text) => !messages.has(text))
  assert.deepEqual(unused, [], 'entries no code gives any longer')
  const error = new AppError('NOT_OPEN', { status: 409, userMessage: 'Le vote n’est pas ouvert.' })
  assert.equal(error.messageIn('en'), 'The vote is not open.')
  assert.equal(error.messageIn('fr'), 'Le vote n’est pas ouvert.')
})

test('every error code in the registry is one the platform answers with', () => {
  const code = sources(src)
    .filter((file) => !file.endsWith('error-codes.ts'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n')
  const unused = Object.keys(ERROR_CODES).filter((name) => !code.includes(`'${name}'`))
  assert.deepEqual(unused, [], 'remove them from src/platform/error-codes.ts, or use them')
})
