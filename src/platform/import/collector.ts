import type { MessageKey } from '../i18n/index.ts'
import type { ImportMessage } from './text.ts'

/** How many problems an importer lists one by one (it counts them all). */
export const MAX_LISTED_PROBLEMS = 100

/**
 * What an importer found while reading a file: the problems that stop it (the first hundred listed, all counted),
 * the warnings said before anything is written, and warnings said once with the number of rows they concern.
 */
export class ImportCollector {
  readonly warnings: ImportMessage[] = []
  readonly errors: ImportMessage[] = []
  errorCount = 0
  private readonly counted = new Map<MessageKey, number>()
  error(message: ImportMessage) {
    this.errorCount++
    if (this.errors.length < MAX_LISTED_PROBLEMS) this.errors.push(message)
  }
  warn(message: ImportMessage) {
    this.warnings.push(message)
  }
  /** a warning said once, with how many rows it concerns */
  count(key: MessageKey) {
    this.counted.set(key, (this.counted.get(key) ?? 0) + 1)
  }
  finish(): void {
    for (const [key, count] of this.counted) this.warnings.push({ key, params: { count } })
    this.counted.clear()
  }
}
