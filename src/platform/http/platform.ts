import type { FastifyBaseLogger } from 'fastify'
import type { Sealer } from '../auth/sealing.ts'
import type { TokenSigner } from '../auth/tokens.ts'
import type { Config } from '../config.ts'
import type { Database } from '../db/index.ts'
import type { ReadCache } from '../db/read-cache.ts'
import type { Mailer } from '../mail.ts'
import type { ResourceRegistry } from '../resources.ts'
import type { SearchRegistry } from '../search.ts'
import type { FileStore } from '../storage.ts'

/** The services every module reaches through `app.platform`. */
export interface Platform {
  config: Config
  database: Database
  mailer: Mailer
  tokens: TokenSigner
  files: FileStore
  log: FastifyBaseLogger
  /** seals secret ballots until their vote closes */
  ballots: Sealer
  /** what each module lets the site-wide search find */
  search: SearchRegistry
  /** how each module names its public things for the others (follows, lists) */
  resources: ResourceRegistry
  /** reads kept between two committed writes (a person's roles): the same for every request meanwhile */
  reads: ReadCache
}
