import { createOtherTerritory, loadRegistry } from '../modules/territories/index.ts'
import { migrate } from '../platform/db/migrate.ts'
import { AppError } from '../platform/errors.ts'
import { explain, out, required, UsageError, type Command } from './command.ts'

export const setupCommands: Record<string, Command> = {
  migrate: {
    summary: 'Apply the database migrations not applied yet',
    usage: 'migrate',
    options: {},
    async run({ database }) {
      const applied = await migrate(database)
      out(applied.length === 0 ? 'The database schema is up to date.' : `Applied: ${applied.join(', ')}`)
    },
  },
  'territories:load': {
    summary: 'Load or refresh the territory registry from the official geography (idempotent)',
    usage: 'territories:load',
    options: {},
    async run({ database }) {
      await migrate(database)
      const result = await loadRegistry(database.db)
      out(
        `Loaded ${result.territories} territories (${Object.entries(result.byKind)
          .map(([k, n]) => `${n} ${k}`)
          .join(
            ', ',
          )}), ${result.links} parent links, ${result.retired} retired, in ${(result.milliseconds / 1000).toFixed(1)} s.`,
      )
    },
  },
  'territories:add-other': {
    summary: 'Create a territory outside the official geography (kind "autre", e.g. a Pays)',
    usage:
      'territories:add-other --name "Pays de Brocéliande" --code pays-broceliande [--population 67000] [--parent departement/35 ...]',
    options: {
      name: { type: 'string' },
      code: { type: 'string' },
      population: { type: 'string' },
      parent: { type: 'string', multiple: true },
    },
    async run({ database, values }) {
      await migrate(database)
      const name = required(values, 'name')
      const code = required(values, 'code').toLowerCase()
      if (!/^[a-z0-9-]{1,64}$/.test(code)) throw new UsageError('--code: use 1 to 64 letters, digits or hyphens')
      if (name.length > 200) throw new UsageError('--name: 200 characters at most')
      const rawPopulation = values.population as string | undefined
      if (rawPopulation !== undefined && !/^\d{1,9}$/.test(rawPopulation))
        throw new UsageError('--population must be a whole number')
      const created = await createOtherTerritory(database.db, {
        actor: null,
        input: {
          name,
          code,
          population: rawPopulation === undefined ? null : Number(rawPopulation),
          parentRefs: (values.parent as string[] | undefined) ?? [],
        },
      }).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'TERRITORY_CODE_TAKEN')
          throw new UsageError(`the code ${code} is already taken`)
        return explain(error)
      })
      out(`Created autre/${created.code}: ${created.name}`)
    },
  },
}
