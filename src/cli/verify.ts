/** Checks anyone can run on published files: a draw's lottery, the history chain. */
import { existsSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import {
  commitmentOf,
  drawIndex,
  Infeasible,
  InstanceError,
  leximin,
  legacyProbabilities,
  lotteryDigest,
  panelSizeFromName,
  parseInstanceFiles,
  relaxation,
  TimeLimitReached,
} from '../modules/assemblies/index.ts'
import { headDigest, verifyHistory, type PublishedHead } from '../modules/plans/index.ts'
import { findTerritoryByRef } from '../modules/territories/index.ts'
import { migrate } from '../platform/db/migrate.ts'
import { out, UsageError, type Command } from './command.ts'

function readKeptHead(file: string, ref: string): PublishedHead {
  let value: Partial<PublishedHead & { digest: string; heads: unknown[] }>
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(`${file}: not a readable JSON file (${(error as Error).message})`)
  }
  if (Array.isArray(value.heads))
    throw new UsageError(
      `${file} holds the whole feed: keep one of its entries (an object with territory, sequence, hash, publishedAt, previous, digest)`,
    )
  const head: PublishedHead = {
    territory: String(value.territory),
    sequence: Number(value.sequence),
    hash: String(value.hash),
    publishedAt: String(value.publishedAt),
    previous: value.previous ?? null,
  }
  if (!Number.isInteger(head.sequence) || head.sequence < 1 || !/^[0-9a-f]{64}$/.test(head.hash))
    throw new UsageError(`${file}: not a chain head (territory, sequence, hash, publishedAt, previous, digest)`)
  if (value.digest !== headDigest(head))
    throw new UsageError(
      `${file}: its digest does not match its content (RFC 8785 canonical JSON): the file was altered`,
    )
  if (head.territory !== ref) throw new UsageError(`${file} is a head of ${head.territory}, not of ${ref}`)
  return head
}

export const verifyCommands: Record<string, Command> = {
  sortition: {
    summary:
      "Selection probabilities of a citizens' panel draw from files: LEXIMIN (exact) or LEGACY (estimated by simulation), as JSON",
    usage:
      'sortition <instance folder> [--panel-size k] [--algorithm leximin|legacy] [--runs 10000] [--time-limit seconds] [--household column]   (folder with categories.csv and respondents.csv; k read from a name ending in _k when absent; volunteers with the same value in the household column, an address say, share a household: at most one of them per panel)',
    options: {
      'panel-size': { type: 'string' },
      algorithm: { type: 'string' },
      runs: { type: 'string' },
      'time-limit': { type: 'string' },
      household: { type: 'string' },
    },
    positionals: true,
    withoutDatabase: true,
    async run({ values, positionals }) {
      const folder = positionals[0]
      if (!folder || positionals.length > 1) throw new UsageError('give one instance folder')
      for (const file of ['categories.csv', 'respondents.csv'])
        if (!existsSync(join(folder, file))) throw new UsageError(`${join(folder, file)}: no such file`)
      const sizeText = (values['panel-size'] as string | undefined) ?? String(panelSizeFromName(folder) ?? '')
      if (!/^\d+$/.test(sizeText)) throw new UsageError('give --panel-size k (the folder name does not end in _k)')
      const algorithm = (values.algorithm as string | undefined) ?? 'leximin'
      if (algorithm !== 'leximin' && algorithm !== 'legacy')
        throw new UsageError('--algorithm must be leximin or legacy')
      const runsText = (values.runs as string | undefined) ?? '10000'
      if (!/^\d+$/.test(runsText) || Number(runsText) < 1)
        throw new UsageError('--runs must be a whole number of at least 1')
      const limitText = values['time-limit'] as string | undefined
      if (limitText !== undefined && !/^\d+$/.test(limitText))
        throw new UsageError('--time-limit must be a whole number of seconds')
      let instance
      try {
        const parsed = parseInstanceFiles(
          readFileSync(join(folder, 'categories.csv')),
          readFileSync(join(folder, 'respondents.csv')),
          Number(sizeText),
          typeof values.household === 'string' ? { householdColumn: values.household } : {},
        )
        for (const warning of parsed.warnings) process.stderr.write(`Warning: ${warning}\n`)
        instance = parsed.instance
      } catch (error) {
        if (error instanceof InstanceError) throw new UsageError(error.message)
        throw error
      }
      const summary = {
        instance: basename(folder.replace(/\/$/, '')),
        algorithm,
        poolSize: instance.people.length,
        panelSize: instance.panelSize,
        categories: instance.categories.length,
        ...(instance.households ? { households: instance.households.length } : {}),
      }
      const infeasible = async () => {
        const changes = await relaxation(instance)
        return new UsageError(
          `no panel meets the quotas; the smallest relaxation:\n${changes.map((c) => `  ${c.category}/${c.feature}: ${c.min}–${c.max} → ${c.newMin}–${c.newMax}`).join('\n')}`,
        )
      }
      if (algorithm === 'legacy') {
        const began = performance.now()
        const legacy = legacyProbabilities(instance, Number(runsText))
        if (legacy.failures === legacy.runs) {
          const changes = await relaxation(instance)
          if (changes.length > 0) throw await infeasible()
          throw new UsageError(
            `LEGACY's greedy draw never completed a panel in ${legacy.runs} runs, although panels meeting the quotas exist (LEXIMIN finds them)`,
          )
        }
        out(
          JSON.stringify({
            ...summary,
            runs: legacy.runs,
            failures: legacy.failures,
            minimum: Math.min(...legacy.probabilities),
            minimumUpperBound99: legacy.minimumUpperBound,
            seconds: (performance.now() - began) / 1000,
            probabilities: legacy.probabilities,
          }),
        )
        return
      }
      try {
        const result = await leximin(instance, limitText === undefined ? {} : { timeLimitSeconds: Number(limitText) })
        out(
          JSON.stringify({
            ...summary,
            method: result.method,
            types: result.types.members.length,
            minimum: Math.min(...result.probabilities),
            seconds: result.seconds,
            ilps: result.ilps,
            lps: result.lps,
            panels: result.panels.length,
            probabilities: result.probabilities,
          }),
        )
      } catch (error) {
        if (error instanceof TimeLimitReached) throw new UsageError(error.message)
        if (!(error instanceof Infeasible)) throw error
        throw await infeasible()
      }
    },
  },
  'sortition:verify': {
    summary:
      "Re-run the public draw of a citizens' assembly from its published JSON (tirage.json): digest, commitment, drawn panel",
    usage:
      "sortition:verify <tirage.json>   (downloaded from the assembly's transparency page; exit 1 when a check fails)",
    options: {},
    positionals: true,
    withoutDatabase: true,
    async run({ positionals }) {
      const file = positionals[0]
      if (!file || positionals.length > 1) throw new UsageError('give one file: sortition:verify <tirage.json>')
      if (!existsSync(file)) throw new UsageError(`${file}: no such file`)
      let draw: {
        lottery?: unknown
        lotteryDigest?: unknown
        panelCount?: unknown
        randomnessKind?: unknown
        randomnessCommitment?: unknown
        randomness?: unknown
        drawnIndex?: unknown
      }
      try {
        draw = JSON.parse(readFileSync(file, 'utf8'))
      } catch {
        throw new UsageError(`${file}: not JSON`)
      }
      const lottery = draw.lottery
      if (
        !Array.isArray(lottery) ||
        !lottery.every((panel) => Array.isArray(panel) && panel.every((n) => Number.isInteger(n)))
      )
        throw new UsageError(`${file}: no lottery (a list of panels of volunteer numbers)`)
      const digest = lotteryDigest(lottery as number[][])
      if (digest !== draw.lotteryDigest)
        throw new UsageError(`the lottery's digest is ${digest}, not the published ${String(draw.lotteryDigest)}`)
      if (draw.panelCount !== lottery.length)
        throw new UsageError(`the lottery lists ${lottery.length} panels, not ${String(draw.panelCount)}`)
      if (typeof draw.randomness !== 'string') {
        out(`Lottery of ${lottery.length} panels: digest ${digest} checked. The random value is not revealed yet.`)
        return
      }
      if (draw.randomnessKind === 'secret_hash' && commitmentOf(draw.randomness) !== draw.randomnessCommitment)
        throw new UsageError('the revealed value does not match the published commitment')
      const index = drawIndex(digest, draw.randomness, lottery.length)
      if (index !== draw.drawnIndex)
        throw new UsageError(`the draw gives panel ${index}, not the published ${String(draw.drawnIndex)}`)
      out(
        `Lottery digest ${digest} checked; ${draw.randomnessKind === 'secret_hash' ? 'the revealed value matches its commitment; ' : ''}the draw gives panel ${index}: volunteers ${(lottery[index] as number[]).join(', ')}.`,
      )
    },
  },
  'history:verify': {
    summary:
      'Verify the hash-chained history of a territory’s action plans, and that it still holds a chain head kept from the public feed (exit 1 when broken)',
    usage:
      'history:verify <kind/code> [--against head.json]   e.g. history:verify commune/35238 --against empreinte.json (an entry of /api/v1/history/heads)',
    options: { against: { type: 'string' } },
    positionals: true,
    async run({ database, positionals, values }) {
      await migrate(database)
      const ref = positionals[0]
      if (!ref || positionals.length > 1) throw new UsageError('name one territory: history:verify <kind/code>')
      const territory = await findTerritoryByRef(database.db, ref)
      if (!territory) throw new UsageError(`unknown territory: ${ref}`)
      const kept = typeof values.against === 'string' ? readKeptHead(values.against, ref) : null
      const check = await verifyHistory(database.db, territory.id, kept ? [kept] : [])
      if (!check.ok) {
        const why =
          check.reason === 'kept-head-missing'
            ? `the chain no longer holds the head kept in ${values.against} (entry ${check.brokenAt}, published ${kept!.publishedAt}): entries were deleted or rewritten since`
            : `${check.reason}`
        throw new UsageError(
          `history of ${ref} is BROKEN at entry ${check.brokenAt} (${why}); ${check.entries} entries`,
        )
      }
      out(
        `History of ${ref} (${territory.name}) is intact: ${check.entries} entries, last hash ${check.lastHash}.${kept ? ` It holds the head kept in ${values.against} (entry ${kept.sequence}, published ${kept.publishedAt}).` : ''}`,
      )
    },
  },
}
