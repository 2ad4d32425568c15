/**
 * Decidim's exports (CSV, or JSON flattened to the same names): a translatable field is one column per language
 * (`title/fr`, `title/en`, `title/machine_translations/en`…), a nested one a path (`category/name/fr`).
 */

/** A translatable Decidim field: the plain column, then French, English, then the first language filled in. */
export function decidimText(record: Record<string, string>, field: string): string {
  if (record[field]?.trim()) return record[field]!.trim()
  for (const locale of ['fr', 'en'])
    if (record[`${field}/${locale}`]?.trim()) return record[`${field}/${locale}`]!.trim()
  const columns = Object.keys(record)
    .filter(
      (c) =>
        c.startsWith(`${field}/`) &&
        !c.includes('machine_translations') &&
        /^[a-z]{2}(-[A-Za-z]{2})?$/.test(c.slice(field.length + 1)),
    )
    .sort()
  for (const column of columns) if (record[column]?.trim()) return record[column]!.trim()
  // only a machine translation: better than nothing
  for (const column of Object.keys(record)
    .filter((c) => c.startsWith(`${field}/machine_translations/`))
    .sort())
    if (record[column]?.trim()) return record[column]!.trim()
  return ''
}

/** A Decidim JSON export (an array of nested objects) as the rows of its CSV export: nested keys joined by `/`. */
export function flattenDecidimJson(value: unknown): Record<string, string>[] | null {
  if (
    !Array.isArray(value) ||
    !value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))
  )
    return null
  return value.map((item) => {
    const record: Record<string, string> = {}
    const walk = (node: unknown, path: string) => {
      if (node === null || node === undefined) record[path] = ''
      else if (Array.isArray(node))
        record[path] = node.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')
      else if (typeof node === 'object')
        for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}/${key}` : key)
      else record[path] = String(node)
    }
    walk(item, '')
    return record
  })
}
